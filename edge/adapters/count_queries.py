"""Reads for counts and replenishment (the lead's API and the /counts page): plain SQL, no domain objects."""
import json
import sqlite3

from edge.domain.counts import COUNT_AWAITING_APPROVAL, COUNT_LIVE, CountSettings
from edge.domain.replenishment import REPLEN_LIVE


def _rows(conn: sqlite3.Connection, sql: str, params: list) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def counts(conn: sqlite3.Connection, statuses: list[str] | None = None, limit: int = 200) -> list[dict]:
    """List count tasks, newest first, with their lines (expected, counted, variance) once counted."""
    where = f"WHERE status IN ({','.join('?' for _ in statuses)})" if statuses else ""
    found = _rows(conn, f"SELECT count_id, location, origin, status, parent_id, picker, counted_by, counted_at, lines,"
                        f" decided_by, decided_at, decision_reason, created_at FROM count_tasks {where}"
                        " ORDER BY created_at DESC, count_id DESC LIMIT ?", [*(statuses or []), limit])
    for row in found:
        row["lines"] = [{**line, "variance": line["counted"] - line["expected"]} for line in json.loads(row["lines"])]
    return found


def awaiting_approval(conn: sqlite3.Connection) -> list[dict]:
    return counts(conn, [COUNT_AWAITING_APPROVAL])


def open_counts(conn: sqlite3.Connection) -> list[dict]:
    return counts(conn, list(COUNT_LIVE))


def replenishments(conn: sqlite3.Connection, statuses: list[str] | None = None, limit: int = 200) -> list[dict]:
    """List replenishments (open ones by default), oldest first, with how many picks wait for each."""
    statuses = statuses or list(REPLEN_LIVE)
    return _rows(conn, "SELECT r.replen_id, r.sku, r.qty, r.lot, r.from_location, r.to_location, r.trigger, r.status,"
                       " r.picker, r.moved_qty, r.created_at, r.done_at,"
                       " (SELECT COUNT(*) FROM tasks t WHERE t.location = r.to_location AND t.sku = r.sku"
                       "  AND t.status = 'open') AS picks_waiting"
                       f" FROM replenishments r WHERE r.status IN ({','.join('?' for _ in statuses)})"
                       " ORDER BY r.created_at, r.replen_id LIMIT ?", [*statuses, limit])


def pick_faces(conn: sqlite3.Connection) -> list[dict]:
    """List the pick faces with their min, max and what they hold now."""
    return _rows(conn, "SELECT f.location, f.sku, f.min_qty AS min, f.max_qty AS max,"
                       " COALESCE((SELECT SUM(s.qty) FROM stock s WHERE s.location = f.location AND s.sku = f.sku), 0)"
                       " AS on_hand FROM pick_faces f ORDER BY f.location, f.sku", [])


def settings(conn: sqlite3.Connection) -> dict:
    """Return the site's recount and approval thresholds (the defaults until the lead sets them)."""
    found = _rows(conn, "SELECT recount_units, recount_pct, approval_units, approval_pct FROM count_settings", [])
    if found:
        return found[0]
    default = CountSettings()
    return {"recount_units": default.recount.units, "recount_pct": default.recount.pct,
            "approval_units": default.approval.units, "approval_pct": default.approval.pct}
