"""The invariants checked per site after quiescence (DESIGN.md), read from the live databases and APIs.

A Jepsen-style final read: the site's outbox is what it committed, the centre's ledger is what it
applied; both are compared row by row, and each side's stock through its own API.
"""
import json
from collections import defaultdict
from dataclasses import dataclass, field

from .chaos_cluster import Cluster, query
from .processes import http_json, stock_map


@dataclass
class SiteReport:
    """What one site's checks found: pass/fail per invariant, counts, and a detail per failure."""

    site: str
    checks: dict[str, bool] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks[name] = ok
        if not ok:
            self.details[name] = detail

    @property
    def failures(self) -> list[dict]:
        return [{"site": self.site, "invariant": name, "detail": self.details.get(name, "")}
                for name, ok in self.checks.items() if not ok]


def _groups(rows, key: int, value: int) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        if row[key]:
            grouped[row[key]].append(row[value])
    return {k: sorted(v) for k, v in grouped.items()}


def _sample(items, n: int = 5) -> str:
    items = sorted(items, key=str)
    return ", ".join(map(str, items[:n])) + (f" (+{len(items) - n} more)" if len(items) > n else "")


def check_events(report: SiteReport, cluster: Cluster) -> None:
    """Every committed site event is in the centre's ledger exactly once, contiguous per (site, epoch).

    After a restore, the events the restore lost (`cluster.lost_tails`) may be in the ledger without
    being in the site's outbox: delivered before the disk was lost, they stay counted once.
    """
    site, tail = report.site, cluster.lost_tails.get(report.site, set())
    outbox = query(cluster.edge_db(site), "SELECT epoch, seq, event_id, op_id FROM sync_outbox WHERE stream = 'up'"
                                          " ORDER BY epoch, seq")
    ledger = query(cluster.central_db, "SELECT epoch, seq, event_id, op_id, outcome FROM sync_inbox"
                                       " WHERE stream = ? ORDER BY epoch, seq", [site])
    kept = [row for row in ledger if row[2] not in tail]  # what the site still holds, row for row
    committed = {row[2] for row in outbox}
    applied = [row[2] for row in ledger]
    lost, phantom = committed - set(applied), set(applied) - committed - tail
    duplicated = len(applied) - len(set(applied))
    report.counts.update(events=len(ledger), lost=len(lost), duplicated=duplicated, phantom=len(phantom),
                         restore_tail_delivered=len(tail & set(applied)), restore_tail_gone=len(tail - set(applied)))
    report.check("every_event_exactly_once", not lost and not phantom and not duplicated
                 and [r[:3] for r in kept] == [r[:3] for r in outbox],
                 f"lost {_sample(lost)}; phantom {_sample(phantom)}; duplicated {duplicated}")
    by_epoch = defaultdict(list)
    for epoch, seq, *_ in ledger:
        by_epoch[epoch].append(seq)
    holes = {epoch: seqs for epoch, seqs in by_epoch.items() if seqs != list(range(1, len(seqs) + 1))}
    report.check("seqs_contiguous", not holes, f"epochs with holes or repeats: {_sample(holes)}")
    rejected = [row[1] for row in ledger if row[4] != "applied"]
    report.check("no_rejected_events", not rejected, f"rejected seqs {_sample(rejected)}")
    ops = {row[0] for row in query(cluster.edge_db(site), "SELECT op_id FROM ops")}
    outbox_ops = _groups(outbox, key=3, value=2)
    ledger_ops = _groups([(r[2], r[3]) for r in kept], key=1, value=0)
    unknown = set(ledger_ops) - ops
    split = {op for op in set(outbox_ops) | set(ledger_ops) if outbox_ops.get(op) != ledger_ops.get(op)}
    report.check("ops_map_to_events_once", not unknown and not split,
                 f"ops unknown to the site {_sample(unknown)}; ops whose events differ {_sample(split)}")


def tail_stock_deltas(cluster: Cluster, site: str) -> dict[tuple, int]:
    """Sum the stock moves of delivered events a restore lost: the centre counted them, the site forgot them."""
    tail, deltas = cluster.lost_tails.get(site, set()), defaultdict(int)
    if not tail:
        return {}
    rows = query(cluster.central_db, "SELECT event_id, data FROM sync_inbox"
                                     " WHERE stream = ? AND type = 'stock.changed'", [site])
    for event_id, data in rows:
        if event_id in tail:
            move = json.loads(data)
            deltas[(move["location"], move["sku"], move.get("lot") or "")] += move["qty_delta"]
    return deltas


def check_commands(report: SiteReport, cluster: Cluster) -> None:
    """Every command the centre queued for the site is in the site's inbox exactly once, in order."""
    site = report.site
    sent = query(cluster.central_db, "SELECT seq, event_id FROM sync_outbox WHERE stream = ? ORDER BY seq", [site])
    got = query(cluster.edge_db(site), "SELECT seq, event_id FROM sync_inbox WHERE stream = ? ORDER BY epoch, seq",
                [site])
    report.counts["commands"] = len(got)
    report.check("commands_exactly_once", sent == got, f"centre queued {len(sent)}, site holds {len(got)}")


def check_stock_and_orders(report: SiteReport, cluster: Cluster) -> None:
    """The centre's inventory for the site equals the site's stock (plus a restore's lost moves); all shipped."""
    site, central, edge = report.site, cluster.central.url, cluster.edges[report.site].url
    central_stock = stock_map(http_json("GET", f"{central}/api/v1/sites/{site}/stock")[1]["stock"])
    edge_stock = stock_map(http_json("GET", f"{edge}/api/v1/stock")[1])
    for key, delta in tail_stock_deltas(cluster, site).items():
        edge_stock[key] = edge_stock.get(key, 0) + delta
    edge_stock = {key: qty for key, qty in edge_stock.items() if qty != 0}
    differing = {key for key in set(central_stock) | set(edge_stock) if central_stock.get(key) != edge_stock.get(key)}
    report.counts["mismatches"] = len(differing)
    report.check("inventory_matches", not differing, f"stock differs at {_sample(differing)}")
    central_orders = dict(query(cluster.central_db, "SELECT order_id, status FROM orders WHERE site_id = ?", [site]))
    edge_orders = dict(query(cluster.edge_db(site), "SELECT order_id, status FROM orders"))
    unshipped = {oid for oid, status in {**central_orders, **edge_orders}.items()
                 if central_orders.get(oid) != "shipped" or edge_orders.get(oid) != "shipped"}
    report.counts["orders"] = len(central_orders)
    report.check("all_shipped_both_sides", not unshipped, f"not shipped on both sides: {_sample(unshipped)}")


def check_dead_letters(report: SiteReport, cluster: Cluster) -> None:
    """Nothing the run sent was set aside: replays and resends are valid batches, never poison."""
    site = report.site
    central = query(cluster.central_db, "SELECT COUNT(*) FROM sync_dead_letters WHERE topic LIKE ?",
                    [f"wes/v1/{site}/%"])[0][0]
    edge = query(cluster.edge_db(site), "SELECT COUNT(*) FROM sync_dead_letters")[0][0]
    report.check("no_dead_letters", central == 0 and edge == 0, f"centre {central}, site {edge}")


def check_site(cluster: Cluster, site: str) -> SiteReport:
    report = SiteReport(site)
    for check in (check_events, check_commands, check_stock_and_orders, check_dead_letters):
        check(report, cluster)
    return report
