"""Network KPIs per site, from the centre's ledger of site events (sync_inbox) and its orders."""
import sqlite3
from datetime import datetime, timedelta

from central.domain.orders import CLOSED_STATUSES
from protocols.status import ORDER_SHIPPED
from sync.sql_dialect import dialect_of

from .ops_queries import CLOSED

MIN_WORKED_HOURS = 0.25  # a site that just started picking is not judged on a few minutes


def in_window(conn, index: str = "sync_inbox_by_type_time") -> str:
    """The ledger, read through a (type, time) index.

    On SQLite, grouping by site tempts the planner into the (stream, type) index and every site's whole history
    of that type; the window on (type, occurred_at) reads only the events in it. PostgreSQL's planner needs no hint.
    """
    return "sync_inbox" if dialect_of(conn).postgres else f"sync_inbox INDEXED BY {index}"


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ledger_totals(conn: sqlite3.Connection, since: datetime) -> dict[str, dict]:
    """Per site: pick confirmations and units, shorts and units short, wrong-item scans, first pick, since then."""
    totals: dict[str, dict] = {}

    def site(stream: str) -> dict:
        return totals.setdefault(stream, {"picks": 0, "units_picked": 0, "shorts": 0, "units_short": 0,
                                          "wrong_items": 0, "first_pick_at": None})
    number = dialect_of(conn).json_number
    for row in conn.execute(
            f"SELECT stream, COUNT(*) AS n, SUM({number('data', 'qty')}) AS units, MIN(occurred_at) AS first"
            f" FROM {in_window(conn)} WHERE type = 'task.picked' AND occurred_at >= ? AND outcome = 'applied'"
            " GROUP BY stream", [stamp(since)]):
        site(row["stream"]).update(picks=row["n"], units_picked=row["units"], first_pick_at=row["first"])
    for row in conn.execute(
            f"SELECT stream, COUNT(*) AS n, SUM({number('data', 'qty_short')}) AS units"
            f" FROM {in_window(conn)} WHERE type = 'task.shorted' AND occurred_at >= ? AND outcome = 'applied'"
            " GROUP BY stream",
            [stamp(since)]):
        site(row["stream"]).update(shorts=row["n"], units_short=row["units"])
    for row in conn.execute(
            f"SELECT stream, COUNT(*) AS n FROM {in_window(conn)} WHERE type = 'scan.rejected' AND occurred_at >= ?"
            f" AND {dialect_of(conn).json_text('data', 'step')} = 'item' AND outcome = 'applied' GROUP BY stream",
            [stamp(since)]):
        site(row["stream"])["wrong_items"] = row["n"]
    return totals


def units_per_hour(conn: sqlite3.Connection, now: datetime, hours: int) -> dict[str, float]:
    """Each site's picking rate: units picked in the last `hours`, per hour from its first pick then (≥ 15 min)."""
    return {site: rate_of(t, now, hours) for site, t in ledger_totals(conn, now - timedelta(hours=hours)).items()}


def rate_of(totals: dict, now: datetime, hours: int) -> float:
    if not totals["first_pick_at"]:
        return 0.0
    worked = (now - datetime.fromisoformat(totals["first_pick_at"])).total_seconds() / 3600
    return round(totals["units_picked"] / min(hours, max(MIN_WORKED_HOURS, worked)), 1)


def cycle_times(conn: sqlite3.Connection, since: datetime) -> dict[str, list[float]]:
    """Per site, hours from an order's receipt at the centre to its shipment, for orders shipped since then.

    A part made by a split or a re-allocation counts from when its root order was received.
    """
    found: dict[str, list[float]] = {}
    for row in conn.execute(
            "SELECT o.site_id, COALESCE(p.created_at, o.created_at) AS received, MAX(h.at) AS shipped"
            " FROM order_status_history h JOIN orders o ON o.order_id = h.order_id"
            " LEFT JOIN orders p ON p.order_id = o.parent_order_id"
            " WHERE h.status = ? AND h.at >= ? AND o.site_id IS NOT NULL"
            " GROUP BY h.order_id, o.site_id, p.created_at, o.created_at",
            [ORDER_SHIPPED, stamp(since)]):
        hours = (datetime.fromisoformat(row["shipped"]) - datetime.fromisoformat(row["received"])).total_seconds()
        found.setdefault(row["site_id"], []).append(max(0.0, hours / 3600))
    return found


def backlog(conn: sqlite3.Connection) -> dict[str, dict]:
    """Per site, order lines and units still to pick on its open orders, right now."""
    rows = conn.execute(
        "SELECT o.site_id, COUNT(*) AS lines, SUM(l.qty - l.picked_qty - l.short_qty) AS units"
        " FROM order_lines l JOIN orders o ON o.order_id = l.order_id"
        f" WHERE o.site_id IS NOT NULL AND o.status NOT IN ({CLOSED}) AND l.qty - l.picked_qty - l.short_qty > 0"
        " GROUP BY o.site_id", list(CLOSED_STATUSES))
    return {row["site_id"]: {"lines": row["lines"], "units": row["units"]} for row in rows}


def network_kpis(conn: sqlite3.Connection, site_ids: list[str], now: datetime, hours: int) -> dict:
    """Every site's KPIs over the last `hours`, side by side, plus network totals."""
    totals = ledger_totals(conn, now - timedelta(hours=hours))
    cycles = cycle_times(conn, now - timedelta(hours=hours))
    open_work = backlog(conn)
    names = sorted(set(site_ids) | set(totals) | set(open_work) | set(cycles))
    rows = []
    for site_id in names:
        t = totals.get(site_id) or {"picks": 0, "units_picked": 0, "shorts": 0, "units_short": 0,
                                    "wrong_items": 0, "first_pick_at": None}
        asked = t["units_picked"] + t["units_short"]
        tries = t["picks"] + t["wrong_items"]
        cycle = cycles.get(site_id, [])
        work = open_work.get(site_id, {"lines": 0, "units": 0})
        rows.append({"site_id": site_id, **t,
                     "fill_rate": round(t["units_picked"] / asked, 4) if asked else None,
                     "pick_accuracy": round(t["picks"] / tries, 4) if tries else None,
                     "units_per_hour": rate_of(t, now, hours), "orders_shipped": len(cycle),
                     "cycle_median_hours": _rounded(_percentile(cycle, 0.5)),
                     "cycle_p90_hours": _rounded(_percentile(cycle, 0.9)),
                     "backlog_lines": work["lines"], "backlog_units": work["units"]})
    picked = sum(r["units_picked"] for r in rows)
    asked = picked + sum(r["units_short"] for r in rows)
    picks = sum(r["picks"] for r in rows)
    tries = picks + sum(r["wrong_items"] for r in rows)
    every_cycle = [h for values in cycles.values() for h in values]
    network = {"fill_rate": round(picked / asked, 4) if asked else None,
               "pick_accuracy": round(picks / tries, 4) if tries else None,
               "orders_shipped": len(every_cycle), "cycle_median_hours": _rounded(_percentile(every_cycle, 0.5)),
               "backlog_lines": sum(r["backlog_lines"] for r in rows),
               "backlog_units": sum(r["backlog_units"] for r in rows)}
    return {"hours": hours, "since": stamp(now - timedelta(hours=hours)), "sites": rows, "network": network}


def _rounded(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None
