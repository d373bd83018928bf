"""KPIs computed from the site's own event log (the sync outbox), so they work with the centre out of reach.

Every event the site committed is in sync_outbox with its occurred_at time: task.picked (one pick confirmation,
a "line"), task.shorted, scan.rejected and order.status_changed are all the KPIs need.
"""
import sqlite3
from datetime import datetime, timedelta
from statistics import median

from protocols.status import ORDER_CANCELLED, ORDER_SHIPPED

from .floor_queries import LIVE_TASK, _marks


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def hourly_lines(conn: sqlite3.Connection, now: datetime, hours: int) -> dict:
    """Pick confirmations and units per hour over the last `hours` hours, oldest first."""
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours - 1)
    rows = dict((hour, (lines, units)) for hour, lines, units in conn.execute(
        "SELECT substr(occurred_at, 1, 13) AS hour, COUNT(*), SUM(json_extract(data, '$.qty')) FROM sync_outbox"
        " WHERE type = 'task.picked' AND occurred_at >= ? GROUP BY 1", [_stamp(start)]))
    labels, lines, units = [], [], []
    for step in range(hours):
        hour = start + timedelta(hours=step)
        labels.append(hour.strftime("%H:00"))
        got = rows.get(hour.strftime("%Y-%m-%dT%H"), (0, 0))
        lines.append(got[0])
        units.append(got[1] or 0)
    return {"labels": labels, "lines": lines, "units": units}


def worked_hours(first_at: str | None, now: datetime, window_hours: float) -> float:
    """Hours from a first pick in the window to now (at least a quarter of an hour), so an early shift is not diluted."""
    if not first_at:
        return window_hours
    span = (now - datetime.fromisoformat(first_at)).total_seconds() / 3600
    return min(window_hours, max(span, 0.25))


def per_picker(conn: sqlite3.Connection, since: datetime, now: datetime) -> list[dict]:
    """Lines, units, lines per hour worked and item-scan accuracy per picker since `since`, busiest first."""
    window = (now - since).total_seconds() / 3600
    picks = conn.execute(
        "SELECT json_extract(data, '$.picker') AS badge, COUNT(*) AS lines, SUM(json_extract(data, '$.qty')) AS units,"
        " MIN(occurred_at) AS first_at, MAX(occurred_at) AS last_at FROM sync_outbox"
        " WHERE type = 'task.picked' AND occurred_at >= ? GROUP BY 1", [_stamp(since)]).fetchall()
    wrong = dict(conn.execute(
        "SELECT json_extract(data, '$.picker'), COUNT(*) FROM sync_outbox WHERE type = 'scan.rejected'"
        " AND occurred_at >= ? AND json_extract(data, '$.step') = 'item' GROUP BY 1", [_stamp(since)]).fetchall())
    names = dict(conn.execute("SELECT badge, name FROM pickers").fetchall())
    found = []
    for row in picks:
        bad = wrong.get(row["badge"], 0)
        hours = worked_hours(row["first_at"], now, window)
        found.append({"badge": row["badge"], "name": names.get(row["badge"], row["badge"]), "lines": row["lines"],
                      "units": row["units"], "lines_per_hour": round(row["lines"] / hours, 1),
                      "accuracy": round(row["lines"] / (row["lines"] + bad), 4), "wrong_items": bad})
    return sorted(found, key=lambda p: (-p["lines"], p["name"]))


def totals(conn: sqlite3.Connection, since: datetime) -> dict:
    """Units picked and short, pick confirmations and refused item scans since `since`."""
    (lines, units, first_at), = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(json_extract(data, '$.qty')), 0), MIN(occurred_at) FROM sync_outbox"
        " WHERE type = 'task.picked' AND occurred_at >= ?", [_stamp(since)]).fetchall()
    (short,) = conn.execute(
        "SELECT COALESCE(SUM(json_extract(data, '$.qty_short')), 0) FROM sync_outbox"
        " WHERE type = 'task.shorted' AND occurred_at >= ?", [_stamp(since)]).fetchone()
    (wrong_items,) = conn.execute(
        "SELECT COUNT(*) FROM sync_outbox WHERE type = 'scan.rejected' AND occurred_at >= ?"
        " AND json_extract(data, '$.step') = 'item'", [_stamp(since)]).fetchone()
    return {"lines": lines, "first_pick_at": first_at, "units_picked": units, "units_short": short, "wrong_items": wrong_items,
            "fill_rate": round(units / (units + short), 4) if units + short else None,
            "pick_accuracy": round(lines / (lines + wrong_items), 4) if lines + wrong_items else None}


def cycle_times(conn: sqlite3.Connection, since: datetime) -> dict:
    """Minutes from release to shipment of each order shipped since `since`: median, p90 and a histogram."""
    rows = conn.execute(
        "SELECT json_extract(data, '$.order_id') AS order_id,"
        " MIN(CASE WHEN json_extract(data, '$.status') = 'released' THEN occurred_at END) AS released,"
        " MAX(CASE WHEN json_extract(data, '$.status') = 'shipped' THEN occurred_at END) AS shipped"
        " FROM sync_outbox WHERE type = 'order.status_changed' AND occurred_at >= ? GROUP BY 1"
        " HAVING shipped >= ? AND released IS NOT NULL",
        # an order shipped in the window may have been released up to two days before it
        [_stamp(since - timedelta(days=2)), _stamp(since)]).fetchall()
    minutes = sorted((datetime.fromisoformat(r["shipped"]) - datetime.fromisoformat(r["released"])).total_seconds()
                     / 60 for r in rows)
    edges = (15, 30, 60, 120, 240, 480)
    labels = [f"< {edges[0]} min", *(f"{a}–{b} min" for a, b in zip(edges, edges[1:])), f"≥ {edges[-1]} min"]
    counts = [0] * len(labels)
    for value in minutes:
        counts[next((i for i, edge in enumerate(edges) if value < edge), len(edges))] += 1
    return {"orders": len(minutes), "median_minutes": round(median(minutes), 1) if minutes else None,
            "p90_minutes": round(minutes[int(0.9 * (len(minutes) - 1))], 1) if minutes else None,
            "histogram": {"labels": labels, "orders": counts}}


def backlog(conn: sqlite3.Connection) -> dict:
    """Unfinished tasks and units by zone, right now."""
    rows = conn.execute(
        "SELECT COALESCE(l.zone, '-') AS zone, COUNT(*) AS tasks, SUM(t.qty - t.picked_qty) AS units FROM tasks t"
        f" LEFT JOIN locations l ON l.location = t.location WHERE t.status IN ({_marks(LIVE_TASK)})"
        " GROUP BY 1 ORDER BY 1", LIVE_TASK).fetchall()
    return {"zones": [r["zone"] for r in rows], "tasks": [r["tasks"] for r in rows],
            "units": [r["units"] for r in rows], "total_tasks": sum(r["tasks"] for r in rows)}


def orders_at_risk(conn: sqlite3.Connection, now: datetime, lines_per_hour: float, cutoff: str,
                   limit: int = 25) -> dict:
    """Orders due by today's cut-off whose work, done in dispatch order at the current rate, finishes too late.

    An order's ship time is its requested ship date at the site's cut-off time (HH:MM, UTC). The queue is worked
    most urgent first, so an order finishes when every order before it and itself are picked.
    """
    rows = conn.execute(
        "SELECT o.order_id, o.customer, o.priority, o.requested_ship_date, o.status,"
        " COALESCE(l.tasks_left, 0) AS tasks_left FROM orders o LEFT JOIN (SELECT order_id, COUNT(*) AS tasks_left"
        f" FROM tasks WHERE status IN ({_marks(LIVE_TASK)}) GROUP BY order_id) l ON l.order_id = o.order_id"
        " WHERE o.status NOT IN (?, ?, 'packed', 'allocated', 'received')"
        " ORDER BY o.priority, o.requested_ship_date, o.order_id",
        [*LIVE_TASK, ORDER_SHIPPED, ORDER_CANCELLED]).fetchall()
    at_risk, count, ahead, due_total, ship_times = [], 0, 0, 0, {}
    for row in rows:
        ahead += row["tasks_left"]
        day = row["requested_ship_date"][:10]
        if day not in ship_times:
            ship_times[day] = datetime.fromisoformat(f"{day}T{cutoff}:00+00:00")
        ship_at = ship_times[day]
        if ship_at > now + timedelta(days=1):
            continue
        due_total += 1
        finish = now + timedelta(hours=ahead / lines_per_hour) if lines_per_hour > 0 else None
        if finish is None and row["tasks_left"] or finish is not None and finish > ship_at or ship_at <= now:
            count += 1
            if len(at_risk) < limit:
                at_risk.append({**dict(row), "ship_at": _stamp(ship_at),
                                "expected_done_at": _stamp(finish) if finish else None})
    return {"count": count, "due": due_total, "orders": at_risk}


def kpis(conn: sqlite3.Connection, now: datetime, hours: int = 8, cutoff: str = "17:00") -> dict:
    """Every KPI of the page over the last `hours` hours."""
    since = now - timedelta(hours=hours)
    summary = totals(conn, since)
    rate = round(summary["lines"] / worked_hours(summary["first_pick_at"], now, hours), 1)
    last_hour = totals(conn, now - timedelta(hours=1))["lines"]
    return {"hours": hours, "since": _stamp(since), **summary, "lines_per_hour": rate, "lines_last_hour": last_hour,
            "hourly": hourly_lines(conn, now, hours), "pickers": per_picker(conn, since, now),
            "cycle": cycle_times(conn, since), "backlog": backlog(conn),
            "at_risk": orders_at_risk(conn, now, rate, cutoff)}
