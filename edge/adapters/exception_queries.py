"""Read side of the exceptions queue: what needs a lead, with its context; resolved ones drop out."""
import json
import sqlite3

from edge.domain.catalogue import VIRTUAL_PACK
from edge.domain.lead_actions import (CANCELLED_MID_PICK, DEAD_LETTER, PRINT_JOB, PUT_BACK, REFUSED_OP,
                                      RETURN_DIFFERENCE, SHORT_PICK, WRONG_SCANS)
from edge.domain.lots import is_expired
from edge.domain.receiving import QUARANTINE, RECEIVING_DOCK
from protocols.status import ORDER_CANCELLED, ORDER_SHIPPED, TASK_DONE, TASK_SHORT

from . import lot_queries
from .return_queries import open_put_backs, return_exceptions

REPEATED_WRONG_SCANS = 3
WRONG_SCANS_REF = "e.task_id || '/' || e.badge"  # one exception per task and picker
UNRESOLVED = "NOT EXISTS (SELECT 1 FROM exception_resolutions r WHERE r.kind = '{kind}' AND r.ref = {ref})"


def short_picks(conn: sqlite3.Connection, limit: int = 100) -> list[dict]:
    """Short tasks of orders not yet shipped or cancelled, with the locations that still have free stock."""
    rows = conn.execute(
        "SELECT t.task_id, t.order_id, t.line_no, t.sku, t.location, t.qty, t.picked_qty, t.short_reason,"
        " t.picker, p.name AS picker_name, o.customer, o.priority, o.requested_ship_date, o.status AS order_status"
        " FROM tasks t JOIN orders o ON o.order_id = t.order_id LEFT JOIN pickers p ON p.badge = t.picker"
        f" WHERE t.status = ? AND o.status NOT IN (?, ?) AND {UNRESOLVED.format(kind=SHORT_PICK, ref='t.task_id')}"
        " ORDER BY o.priority, o.requested_ship_date, t.task_id LIMIT ?",
        [TASK_SHORT, ORDER_CANCELLED, ORDER_SHIPPED, limit]).fetchall()
    return [dict(r, missing=r["qty"] - r["picked_qty"], alternatives=free_slots(conn, r["sku"], r["location"]))
            for r in rows]


def free_slots(conn: sqlite3.Connection, sku: str, besides: str) -> list[dict]:
    """Locations other than `besides` holding the sku with stock no unfinished task has claimed (lots not expired)."""
    done = ",".join("?" for _ in TASK_DONE)
    rows = conn.execute(
        "SELECT s.location, s.qty - (SELECT COALESCE(SUM(t.qty - t.picked_qty), 0) FROM tasks t"
        f"  WHERE t.sku = s.sku AND t.location = s.location AND t.lot = s.lot AND t.status NOT IN ({done})) AS free,"
        " s.lot, COALESCE((SELECT x.expiry FROM lots x WHERE x.sku = s.sku AND x.lot = s.lot), '') AS expiry"
        " FROM stock s JOIN locations l ON l.location = s.location"
        " WHERE s.sku = ? AND s.location NOT IN (?, ?, ?, ?) ORDER BY l.pick_seq, s.location",
        [*TASK_DONE, sku, VIRTUAL_PACK, RECEIVING_DOCK, QUARANTINE, besides]).fetchall()
    today = lot_queries.site_day(conn)
    free: dict[str, int] = {}
    for r in rows:
        if r["free"] > 0 and not (r["expiry"] and is_expired(r["expiry"], today)):
            free[r["location"]] = free.get(r["location"], 0) + r["free"]
    return [{"location": location, "free": qty} for location, qty in free.items()]


def repeated_wrong_scans(conn: sqlite3.Connection, limit: int = 100) -> list[dict]:
    """Tasks where one picker's scans were refused again and again: a bad label, a wrong slot or a lost picker."""
    rows = conn.execute(
        "SELECT e.task_id || '/' || e.badge AS ref, e.task_id, e.badge, p.name AS picker_name, COUNT(*) AS refused,"
        " MAX(e.at) AS last_at, GROUP_CONCAT(DISTINCT e.step) AS steps, GROUP_CONCAT(DISTINCT e.scanned) AS scanned,"
        " MAX(e.expected) AS expected, t.sku, t.location, t.status AS task_status, t.picker AS holder"
        " FROM scan_errors e JOIN tasks t ON t.task_id = e.task_id LEFT JOIN pickers p ON p.badge = e.badge"
        " GROUP BY e.task_id, e.badge HAVING COUNT(*) >= ?"
        f" AND {UNRESOLVED.format(kind=WRONG_SCANS, ref=WRONG_SCANS_REF)}"
        " ORDER BY last_at DESC LIMIT ?", [REPEATED_WRONG_SCANS, limit]).fetchall()
    return [dict(r) for r in rows]


def cancelled_mid_pick(conn: sqlite3.Connection, limit: int = 100) -> list[dict]:
    """Cancelled orders with goods already picked: those units wait in the pack area to go back to their slots."""
    rows = conn.execute(
        "SELECT o.order_id, o.customer, o.requested_ship_date, SUM(t.picked_qty) AS units_picked,"
        " GROUP_CONCAT(t.sku || ' x' || t.picked_qty || ' from ' || t.location, '; ') AS put_back"
        " FROM orders o JOIN tasks t ON t.order_id = o.order_id AND t.picked_qty > 0"
        f" WHERE o.status = ? AND {UNRESOLVED.format(kind=CANCELLED_MID_PICK, ref='o.order_id')}"
        " GROUP BY o.order_id ORDER BY o.order_id LIMIT ?", [ORDER_CANCELLED, limit]).fetchall()
    return [dict(r) for r in rows]


def dead_letters(conn: sqlite3.Connection, limit: int = 50) -> list[dict]:
    """Sync messages set aside as unprocessable and still open (not replayed or discarded), newest first."""
    rows = conn.execute(
        "SELECT d.id, d.topic, d.reason, d.received_at, d.attempts, substr(d.payload, 1, 300) AS payload"
        " FROM sync_dead_letters d WHERE d.status = 'open' ORDER BY d.id DESC LIMIT ?", [limit]).fetchall()
    return [dict(r) for r in rows]


def outbox_waiting(conn: sqlite3.Connection) -> list[dict]:
    """Events not yet acknowledged by the centre, by type, with the oldest one's time."""
    rows = conn.execute(
        "SELECT o.type, COUNT(*) AS events, MIN(o.occurred_at) AS oldest FROM sync_outbox o"
        " JOIN sync_outbox_cursor c ON c.stream = o.stream WHERE o.seq > c.acked_through GROUP BY o.type"
        " ORDER BY events DESC").fetchall()
    return [dict(r) for r in rows]


def print_problems(conn: sqlite3.Connection, limit: int = 50) -> list[dict]:
    """Label jobs that failed and are not yet printed, when the site prints labels at all."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'edge_print_jobs'").fetchone():
        return []
    rows = conn.execute(
        "SELECT j.job_id, j.printer, j.label_kind, j.ref, j.sscc, j.status, j.attempts, j.last_error, j.updated_at,"
        " COALESCE(s.online, 1) AS printer_online, COALESCE(s.last_problem, '') AS printer_problem"
        " FROM edge_print_jobs j LEFT JOIN edge_printer_state s ON s.printer = j.printer"
        " WHERE j.status IN ('queued', 'awaiting_confirmation') AND j.last_error != ''"
        f" AND {UNRESOLVED.format(kind=PRINT_JOB, ref='CAST(j.job_id AS TEXT)')}"
        " ORDER BY j.job_id LIMIT ?", [limit]).fetchall()
    return [dict(r) for r in rows]


def refused_ops(conn: sqlite3.Connection, limit: int = 100) -> list[dict]:
    """Handheld ops refused because the floor moved on (lease lost, task or order closed), not yet acknowledged."""
    rows = conn.execute(
        "SELECT r.op_id, r.at, r.occurred_at, r.badge, p.name AS picker_name, r.device_id, r.endpoint, r.code,"
        " r.message, r.task_id, COALESCE(NULLIF(r.order_id, ''), t.order_id, '') AS order_id, r.request,"
        " t.sku, t.location, t.picker AS holder, t.status AS task_status"
        " FROM refused_ops r LEFT JOIN pickers p ON p.badge = r.badge"
        " LEFT JOIN tasks t ON t.task_id = r.task_id AND r.task_id != ''"
        f" WHERE {UNRESOLVED.format(kind=REFUSED_OP, ref='r.op_id')} ORDER BY r.id DESC LIMIT ?", [limit]).fetchall()
    return [dict(r, request=json.loads(r["request"])) for r in rows]


def queue(conn: sqlite3.Connection) -> dict:
    """Every open exception by kind."""
    return {SHORT_PICK: short_picks(conn), WRONG_SCANS: repeated_wrong_scans(conn), PRINT_JOB: print_problems(conn),
            CANCELLED_MID_PICK: cancelled_mid_pick(conn), DEAD_LETTER: dead_letters(conn),
            REFUSED_OP: refused_ops(conn), PUT_BACK: open_put_backs(conn), RETURN_DIFFERENCE: return_exceptions(conn)}


def recent_actions(conn: sqlite3.Connection, limit: int = 15) -> list[dict]:
    """The latest audited lead actions, newest first."""
    rows = conn.execute("SELECT at, actor, action, subject, reason, detail FROM audit_log"
                        " WHERE action NOT LIKE 'login%' ORDER BY id DESC LIMIT ?", [limit]).fetchall()
    return [dict(r, detail=json.loads(r["detail"])) for r in rows]
