"""Inventory anomalies across the network: repeated shorts, stock gone negative, sites gone quiet, dead letters."""
import sqlite3
from datetime import datetime, timedelta

from sync.sql_dialect import dialect_of

from .ops_kpis import backlog, in_window, stamp
from .ops_queries import open_dead_letters, sites


def repeated_shorts(conn: sqlite3.Connection, since: datetime, at_least: int) -> list[dict]:
    """Locations with `at_least` short picks or more since then, worst first."""
    dialect = dialect_of(conn)
    location = dialect.json_text("data", "location")
    rows = conn.execute(
        f"SELECT stream AS site_id, {location} AS location, COUNT(*) AS shorts,"
        f" SUM({dialect.json_number('data', 'qty_short')}) AS units_short,"
        f" {dialect.distinct_list(dialect.json_text('data', 'sku'))} AS skus, MAX(occurred_at) AS last_at"
        f" FROM {in_window(conn, 'sync_inbox_by_type_time')} WHERE type = 'task.shorted' AND occurred_at >= ?"
        f" GROUP BY stream, {location} HAVING COUNT(*) >= ? ORDER BY shorts DESC, site_id, location",
        [stamp(since), at_least])
    return [dict(row, skus=sorted(row["skus"].split(","))) for row in rows]


def negative_stock(conn: sqlite3.Connection, since: datetime) -> list[dict]:
    """Stock rows below zero now, and rows whose running sum of deltas went below zero since then.

    The running sum is exact without reading older history: the quantity before the window is today's quantity
    minus every applied delta received in the window, and the ledger holds each site's deltas in seq order.
    """
    found: dict[tuple, dict] = {}
    for row in conn.execute("SELECT site_id, location, sku, lot, qty FROM stock WHERE qty < 0"
                            " ORDER BY site_id, location, sku, lot"):
        key = (row["site_id"], row["location"], row["sku"], row["lot"])
        found[key] = {"site_id": key[0], "location": key[1], "sku": key[2], "lot": key[3], "qty_now": row["qty"],
                      "lowest": row["qty"], "went_negative_at": None, "seq": None, "reason": None}
    dialect = dialect_of(conn)
    field = dialect.json_text
    rows = conn.execute(
        f"WITH moves AS (SELECT stream, epoch, seq, occurred_at, {field('data', 'location')} AS location,"
        f" {field('data', 'sku')} AS sku, COALESCE({field('data', 'lot')}, '') AS lot,"
        f" {dialect.json_number('data', 'qty_delta')} AS delta, {field('data', 'reason')} AS reason"
        f" FROM {in_window(conn, 'sync_inbox_by_type_received')}"
        " WHERE type = 'stock.changed' AND received_at >= ? AND outcome = 'applied'),"
        " running AS (SELECT *, SUM(delta) OVER (PARTITION BY stream, location, sku, lot ORDER BY epoch, seq) AS run,"
        " SUM(delta) OVER (PARTITION BY stream, location, sku, lot) AS moved FROM moves)"
        " SELECT r.stream, r.location, r.sku, r.lot, r.epoch, r.seq, r.occurred_at, r.reason,"
        " COALESCE(s.qty, 0) AS qty_now, COALESCE(s.qty, 0) - r.moved + r.run AS qty_after FROM running r"
        " LEFT JOIN stock s ON s.site_id = r.stream AND s.location = r.location AND s.sku = r.sku AND s.lot = r.lot"
        " WHERE COALESCE(s.qty, 0) - r.moved + r.run < 0 ORDER BY r.stream, r.epoch, r.seq", [stamp(since)])
    for row in rows:
        key = (row["stream"], row["location"], row["sku"], row["lot"])
        entry = found.setdefault(key, {"site_id": key[0], "location": key[1], "sku": key[2], "lot": key[3],
                                       "qty_now": row["qty_now"], "lowest": row["qty_after"],
                                       "went_negative_at": None, "seq": None, "reason": None})
        entry["lowest"] = min(entry["lowest"], row["qty_after"])
        if entry["went_negative_at"] is None:
            entry.update(went_negative_at=row["occurred_at"], seq=f"{row['epoch']}:{row['seq']}",
                         reason=row["reason"])
    return sorted(found.values(), key=lambda e: (e["lowest"], e["site_id"], e["location"], e["sku"]))


def quiet_sites(conn: sqlite3.Connection, now: datetime, quiet_minutes: int) -> list[dict]:
    """Sites that are online with open work but have sent no event for more than `quiet_minutes`."""
    work = backlog(conn)
    limit = stamp(now - timedelta(minutes=quiet_minutes))
    last = dict(conn.execute("SELECT stream, MAX(updated_at) FROM sync_inbox_cursor GROUP BY stream").fetchall())
    quiet = []
    for site in sites(conn):
        open_work = work.get(site["site_id"])
        heard = last.get(site["site_id"])
        if site["online"] and open_work and (heard is None or heard < limit):
            quiet.append({"site_id": site["site_id"], "name": site["name"], "last_event_at": heard,
                          "backlog_lines": open_work["lines"], "backlog_units": open_work["units"]})
    return quiet


def anomalies(conn: sqlite3.Connection, now: datetime, hours: int, at_least_shorts: int = 2,
              quiet_minutes: int = 15) -> dict:
    """Every anomaly the ops view lists, over the last `hours` (quiet sites: no event for `quiet_minutes`)."""
    since = now - timedelta(hours=hours)
    found = {"hours": hours, "quiet_minutes": quiet_minutes, "at_least_shorts": at_least_shorts,
             "repeated_shorts": repeated_shorts(conn, since, at_least_shorts),
             "negative_stock": negative_stock(conn, since), "quiet_sites": quiet_sites(conn, now, quiet_minutes),
             "dead_letters": open_dead_letters(conn)}
    found["count"] = (len(found["repeated_shorts"]) + len(found["negative_stock"]) + len(found["quiet_sites"])
                      + found["dead_letters"]["count"])
    return found
