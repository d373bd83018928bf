"""Read side of the lead's floor and people pages: plain SQL over the site database, no writes."""
import sqlite3
from datetime import datetime, timedelta

from protocols.status import (ORDER_PACKED, ORDER_PICKED, ORDER_PICKING, ORDER_RELEASED, ORDER_SHORT,
                              TASK_ASSIGNED, TASK_AT_LOCATION, TASK_OPEN, TASK_STATUSES)

LIVE_TASK = (TASK_OPEN, TASK_ASSIGNED, TASK_AT_LOCATION)
WORKED = (TASK_ASSIGNED, TASK_AT_LOCATION)
IN_PROGRESS = (ORDER_RELEASED, ORDER_PICKING, ORDER_PICKED, ORDER_SHORT, ORDER_PACKED)
AGE_BUCKETS = ((30, "under 30 min"), (60, "30–60 min"), (120, "1–2 h"), (240, "2–4 h"), (None, "over 4 h"))


def _marks(values) -> str:
    return ",".join("?" for _ in values)


def tasks_by_zone(conn: sqlite3.Connection) -> dict:
    """Count unfinished tasks by zone and status, with units still to pick."""
    rows = conn.execute(
        "SELECT COALESCE(l.zone, '') AS zone, t.status, COUNT(*) AS tasks, SUM(t.qty - t.picked_qty) AS units"
        f" FROM tasks t LEFT JOIN locations l ON l.location = t.location WHERE t.status IN ({_marks(LIVE_TASK)})"
        " GROUP BY 1, 2 ORDER BY 1", LIVE_TASK).fetchall()
    zones: dict[str, dict] = {}
    for row in rows:
        zone = zones.setdefault(row["zone"] or "-", {s: 0 for s in LIVE_TASK} | {"units": 0})
        zone[row["status"]] = row["tasks"]
        zone["units"] += row["units"]
    totals = {s: sum(z[s] for z in zones.values()) for s in (*LIVE_TASK, "units")}
    return {"statuses": LIVE_TASK, "zones": zones, "totals": totals}


def task_status_counts(conn: sqlite3.Connection) -> dict:
    counts = dict(conn.execute("SELECT status, COUNT(*) FROM tasks GROUP BY status").fetchall())
    return {status: counts.get(status, 0) for status in TASK_STATUSES}


def orders_in_progress(conn: sqlite3.Connection, limit: int = 40) -> dict:
    """Return order counts by live status and the most urgent live orders with their task progress."""
    counts = dict(conn.execute(f"SELECT status, COUNT(*) FROM orders WHERE status IN ({_marks(IN_PROGRESS)})"
                               " GROUP BY status", IN_PROGRESS).fetchall())
    rows = conn.execute(
        "SELECT o.order_id, o.customer, o.priority, o.requested_ship_date, o.status, o.released_at,"
        " (SELECT COUNT(*) FROM tasks t WHERE t.order_id = o.order_id AND t.status != 'cancelled') AS tasks,"
        f" (SELECT COUNT(*) FROM tasks t WHERE t.order_id = o.order_id AND t.status IN ({_marks(LIVE_TASK)}))"
        " AS tasks_left FROM orders o"
        f" WHERE o.status IN ({_marks(IN_PROGRESS)}) ORDER BY o.priority, o.requested_ship_date, o.order_id LIMIT ?",
        [*LIVE_TASK, *IN_PROGRESS, limit]).fetchall()
    return {"counts": {s: counts.get(s, 0) for s in IN_PROGRESS}, "orders": [dict(r) for r in rows]}


def last_activity(conn: sqlite3.Connection) -> dict[str, str]:
    """Return each picker's last handheld op time, by badge."""
    return dict(conn.execute("SELECT badge, MAX(created_at) FROM ops GROUP BY badge").fetchall())


def pickers_at_work(conn: sqlite3.Connection, now: datetime, idle_minutes: int = 10) -> list[dict]:
    """Describe every picker signed in during the last 12 hours: current task, tasks held, last op, idle or not."""
    since = (now - timedelta(hours=12)).isoformat()
    pickers = conn.execute(
        "SELECT p.badge, p.name, MAX(s.created_at) AS signed_in_at, s.device_id FROM pickers p"
        " JOIN sessions s ON s.badge = p.badge WHERE s.created_at >= ? GROUP BY p.badge ORDER BY p.name",
        [since]).fetchall()
    held: dict[str, list[dict]] = {}
    for row in conn.execute(
            "SELECT t.picker, t.task_id, t.order_id, t.sku, t.location, t.qty, t.picked_qty, t.status FROM tasks t"
            f" WHERE t.status IN ({_marks(WORKED)}) ORDER BY t.picker, t.status DESC, t.pick_seq", WORKED):
        held.setdefault(row["picker"], []).append(dict(row))
    last = last_activity(conn)
    idle_before = (now - timedelta(minutes=idle_minutes)).isoformat()
    found = []
    for row in pickers:
        tasks = held.get(row["badge"], [])
        last_op = last.get(row["badge"]) or row["signed_in_at"]
        found.append({**dict(row), "task": tasks[0] if tasks else None, "tasks_held": len(tasks),
                      "last_op_at": last_op, "idle": not tasks or last_op < idle_before})
    return found


def ageing_work(conn: sqlite3.Connection, now: datetime, limit: int = 12) -> dict:
    """Bucket unfinished tasks by how long ago their order was released, and list the oldest."""
    bounds = [(now - timedelta(minutes=minutes)).isoformat() for minutes, _ in AGE_BUCKETS if minutes]
    # Released after bound i means younger than bucket i's limit; ISO times in UTC compare as strings.
    cases = " ".join(f"WHEN o.released_at >= ? THEN {i}" for i in range(len(bounds)))
    counts = dict(conn.execute(
        f"SELECT CASE {cases} ELSE {len(bounds)} END AS bucket, COUNT(*) FROM tasks t"
        f" JOIN orders o ON o.order_id = t.order_id WHERE t.status IN ({_marks(LIVE_TASK)}) GROUP BY 1",
        [*bounds, *LIVE_TASK]).fetchall())
    buckets = {label: counts.get(i, 0) for i, (_, label) in enumerate(AGE_BUCKETS)}
    oldest = conn.execute(
        "SELECT t.task_id, t.order_id, t.sku, t.location, t.status, t.picker, o.released_at,"
        " CAST((julianday(?) - julianday(o.released_at)) * 1440 AS INTEGER) AS age_minutes FROM orders o"
        f" JOIN tasks t ON t.order_id = o.order_id WHERE t.status IN ({_marks(LIVE_TASK)})"
        " ORDER BY o.released_at, t.pick_seq LIMIT ?", [now.isoformat(), *LIVE_TASK, limit]).fetchall()
    return {"buckets": buckets, "oldest": [dict(r) for r in oldest]}


def handhelds(conn: sqlite3.Connection) -> list[dict]:
    """List enrolled handhelds with when each was last heard from and who used it last."""
    rows = conn.execute(
        "SELECT d.device_id, d.enrolled_at, d.revoked_at,"
        " (SELECT MAX(created_at) FROM ops o WHERE o.device_id = d.device_id) AS last_op_at,"
        " (SELECT MAX(created_at) FROM sessions s WHERE s.device_id = d.device_id) AS last_sign_in_at,"
        " (SELECT s.badge FROM sessions s WHERE s.device_id = d.device_id ORDER BY s.created_at DESC LIMIT 1)"
        " AS last_badge FROM devices d ORDER BY d.revoked_at IS NOT NULL, d.device_id").fetchall()
    return [dict(r, last_seen_at=max(filter(None, (r["last_op_at"], r["last_sign_in_at"], r["enrolled_at"]))))
            for r in rows]


def picker_badges(conn: sqlite3.Connection) -> list[dict]:
    return [dict(r) for r in conn.execute("SELECT badge, name FROM pickers ORDER BY name")]


def open_enrolment_codes(conn: sqlite3.Connection, now: datetime) -> int:
    (count,) = conn.execute("SELECT COUNT(*) FROM enrolment_codes WHERE used_at IS NULL AND expires_at > ?",
                            [now.isoformat()]).fetchone()
    return count
