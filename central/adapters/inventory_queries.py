"""Read side of network inventory: stock per site, location, item and lot, from the sites' deltas only."""
import json
import sqlite3

from central.domain.allocation import PACK_LOCATION
from central.domain.orders import CLOSED_STATUSES, TRANSFER
from protocols.status import ORDER_SHIPPED
from sync.sql_dialect import dialect_of


def _where(site: str | None, sku: str | None, site_column: str, sku_column: str) -> tuple[str, list]:
    clauses, params = [], []
    if site:
        clauses.append(f"{site_column} = ?")
        params.append(site)
    if sku:
        clauses.append(f"{sku_column} = ?")
        params.append(sku)
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


def network_inventory(conn: sqlite3.Connection, site: str | None, sku: str | None) -> dict:
    """Return stock rows per site/location/sku/lot, per site and sku (on hand, allocated, available, in transit)
    and network totals per sku."""
    where, params = _where(site, sku, "site_id", "sku")
    rows = [dict(row) for row in conn.execute(
        f"SELECT site_id, location, sku, lot, qty FROM stock WHERE 1 = 1{where}"
        " ORDER BY site_id, sku, location, lot", params)]
    closed = ",".join("?" * len(CLOSED_STATUSES))
    where_o, params_o = _where(site, sku, "o.site_id", "l.sku")
    allocated = conn.execute(
        "SELECT o.site_id, l.sku, SUM(CASE WHEN l.qty - l.picked_qty - l.short_qty > 0"
        " THEN l.qty - l.picked_qty - l.short_qty ELSE 0 END) FROM order_lines l"
        f" JOIN orders o ON o.order_id = l.order_id WHERE o.site_id IS NOT NULL AND o.status NOT IN ({closed})"
        f"{where_o} GROUP BY o.site_id, l.sku", [*CLOSED_STATUSES, *params_o]).fetchall()
    where_t, params_t = _where(site, sku, "o.ship_to_site", "l.sku")
    in_transit = conn.execute(
        "SELECT o.ship_to_site, l.sku, SUM(l.picked_qty) FROM order_lines l JOIN orders o ON o.order_id = l.order_id"
        " WHERE o.kind = ? AND o.status = ? AND o.transfer_received_at IS NULL"
        f"{where_t} GROUP BY o.ship_to_site, l.sku", [TRANSFER, ORDER_SHIPPED, *params_t]).fetchall()
    by_site: dict[tuple, dict] = {}

    def entry(site_id: str, item: str) -> dict:
        return by_site.setdefault((site_id, item), {"site_id": site_id, "sku": item, "on_hand": 0, "in_pack": 0,
                                                    "allocated": 0, "available": 0, "in_transit": 0})
    for row in rows:
        entry(row["site_id"], row["sku"])["in_pack" if row["location"] == PACK_LOCATION else "on_hand"] += row["qty"]
    for site_id, item, qty in allocated:
        entry(site_id, item)["allocated"] += qty
    for site_id, item, qty in in_transit:
        entry(site_id, item)["in_transit"] += qty
    network: dict[str, dict] = {}
    for key in sorted(by_site):
        summary = by_site[key]
        summary["available"] = summary["on_hand"] - summary["allocated"]
        total = network.setdefault(summary["sku"], {"sku": summary["sku"], "on_hand": 0, "in_pack": 0,
                                                    "allocated": 0, "available": 0, "in_transit": 0})
        for name in ("on_hand", "in_pack", "allocated", "available", "in_transit"):
            total[name] += summary[name]
    return {"rows": rows, "by_site": [by_site[key] for key in sorted(by_site)],
            "network": [network[item] for item in sorted(network)]}


def ledger_qty(conn: sqlite3.Connection, site_id: str) -> dict[tuple, int]:
    """Return the centre's stock per (location, sku, lot) for one site."""
    return {(row["location"], row["sku"], row["lot"]): row["qty"] for row in conn.execute(
        "SELECT location, sku, lot, qty FROM stock WHERE site_id = ?", [site_id])}


def ledger_events(conn: sqlite3.Connection, site_id: str, location: str, sku: str, lot: str) -> list[dict]:
    """Return the site's stock events for one location/sku/lot in ledger order, set-aside ones included."""
    field = dialect_of(conn).json_text
    rows = conn.execute(
        "SELECT epoch, seq, occurred_at, received_at, outcome, reason, data FROM sync_inbox"
        f" WHERE stream = ? AND type = 'stock.changed' AND {field('data', 'location')} = ?"
        f" AND {field('data', 'sku')} = ? AND COALESCE({field('data', 'lot')}, '') = ?"
        " ORDER BY epoch, seq", [site_id, location, sku, lot])
    events = []
    for row in rows:
        data = json.loads(row["data"])
        events.append({"epoch": row["epoch"], "seq": row["seq"], "occurred_at": row["occurred_at"],
                       "received_at": row["received_at"], "qty_delta": data.get("qty_delta", 0),
                       "reason": data.get("reason", ""), "ref": data.get("ref", ""),
                       "applied": row["outcome"] == "applied", "set_aside_because": row["reason"]})
    return events


def latest_snapshot(conn: sqlite3.Connection, site_id: str) -> dict | None:
    row = conn.execute("SELECT * FROM site_snapshots WHERE site_id = ? ORDER BY snapshot_id DESC LIMIT 1",
                       [site_id]).fetchone()
    return dict(row, rows=json.loads(row["rows"])) if row else None
