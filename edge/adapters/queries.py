"""Read side for the API and the status page: plain SQL, no domain objects, no writes."""
import json
import sqlite3

from protocols.status import TASK_DONE, TASK_PICKED, TASK_SHORT

ORDER_COLUMNS = "order_id, customer, priority, requested_ship_date, status, released_at, shipped_at, dock_door"


def picker_for_token(conn: sqlite3.Connection, token_hash: str) -> dict | None:
    row = conn.execute("SELECT s.badge, p.name, s.device_id FROM sessions s JOIN pickers p ON p.badge = s.badge"
                       " WHERE s.token_hash = ?", [token_hash]).fetchone()
    return dict(row) if row else None


def device_for_token(conn: sqlite3.Connection, token_hash: str) -> dict | None:
    row = conn.execute("SELECT device_id, enrolled_at, revoked_at FROM devices WHERE token_hash = ?",
                       [token_hash]).fetchone()
    return dict(row) if row else None


def devices(conn: sqlite3.Connection) -> list[dict]:
    return [dict(row) for row in conn.execute(
        "SELECT device_id, enrolled_at, revoked_at FROM devices ORDER BY device_id")]


def site_id(conn: sqlite3.Connection) -> str:
    return conn.execute("SELECT site_id FROM site_meta WHERE id = 1").fetchone()[0]


TOTE = ("(SELECT bs.tote FROM batch_slots bs JOIN batches b ON b.batch_id = bs.batch_id WHERE bs.order_id ="
        " orders.order_id AND b.status = 'closed' AND bs.tote != '' ORDER BY b.closed_at DESC LIMIT 1) AS tote")
"""The tote a closed batch handed to packing with the order in it (null for an order picked on its own)."""


def orders(conn: sqlite3.Connection, statuses: list[str] | None = None) -> list[dict]:
    sql, params = f"SELECT {ORDER_COLUMNS}, {TOTE} FROM orders", []
    if statuses:
        sql += f" WHERE status IN ({','.join('?' for _ in statuses)})"
        params = statuses
    return [dict(row) for row in conn.execute(sql + " ORDER BY priority, requested_ship_date, order_id", params)]


def order_detail(conn: sqlite3.Connection, order_id: str) -> dict | None:
    row = conn.execute(f"SELECT {ORDER_COLUMNS} FROM orders WHERE order_id = ?", [order_id]).fetchone()
    if row is None:
        return None
    order = dict(row)
    order["lines"] = [dict(r) for r in conn.execute(
        "SELECT l.line_no, l.sku, l.qty, COALESCE(SUM(t.picked_qty), 0) AS picked_qty FROM order_lines l"
        " LEFT JOIN tasks t ON t.order_id = l.order_id AND t.line_no = l.line_no"
        " WHERE l.order_id = ? GROUP BY l.line_no ORDER BY l.line_no", [order_id])]
    for line in order["lines"]:  # what a packer may scan for the line: its sku or any of its GTINs
        item = conn.execute("SELECT gtins FROM items WHERE sku = ?", [line["sku"]]).fetchone()
        line["barcodes"] = [line["sku"], *(json.loads(item["gtins"]) if item else [])]
    order["tasks"] = [dict(r) for r in conn.execute(
        "SELECT task_id, line_no, sku, location, qty, picked_qty, status, picker, short_reason FROM tasks"
        " WHERE order_id = ? ORDER BY line_no, pick_seq, task_id", [order_id])]
    order["cartons"] = [dict(r, lines=json.loads(r["lines"])) for r in conn.execute(
        "SELECT carton_id, closed_at, sscc, lines FROM cartons WHERE order_id = ? ORDER BY carton_id", [order_id])]
    return order


def stock(conn: sqlite3.Connection) -> list[dict]:
    return [dict(row) for row in conn.execute("SELECT location, sku, lot, qty FROM stock ORDER BY location, sku, lot")]


def open_tasks(conn: sqlite3.Connection, limit: int = 200) -> list[dict]:
    done = ",".join("?" for _ in TASK_DONE)
    return [dict(row) for row in conn.execute(
        "SELECT task_id, order_id, sku, location, qty, picked_qty, status, picker FROM tasks"
        f" WHERE status NOT IN ({done}) ORDER BY pick_seq, task_id LIMIT ?", [*TASK_DONE, limit])]


def metrics(conn: sqlite3.Connection) -> dict:
    """Count scans and picks; pick accuracy is the share of item scans that were the right item."""
    ok = dict(conn.execute("SELECT endpoint, COUNT(*) FROM ops WHERE status_code = 200"
                           " AND endpoint IN ('scan_location', 'confirm_pick', 'confirm_batch_pick')"
                           " GROUP BY endpoint").fetchall())
    rejected = dict(conn.execute("SELECT step, COUNT(*) FROM scan_errors GROUP BY step").fetchall())
    tasks = dict(conn.execute("SELECT status, COUNT(*) FROM tasks GROUP BY status").fetchall())
    (units,) = conn.execute("SELECT COALESCE(SUM(picked_qty), 0) FROM tasks").fetchone()
    (lines_picked,) = conn.execute(
        "SELECT COUNT(*) FROM (SELECT l.order_id FROM order_lines l JOIN tasks t"
        " ON t.order_id = l.order_id AND t.line_no = l.line_no GROUP BY l.order_id, l.line_no"
        " HAVING SUM(t.picked_qty) >= l.qty)").fetchone()
    item_ok, item_bad = ok.get("confirm_pick", 0) + ok.get("confirm_batch_pick", 0), rejected.get("item", 0)
    orders_by_status = dict(conn.execute("SELECT status, COUNT(*) FROM orders GROUP BY status").fetchall())
    return {
        "scans_ok": ok.get("scan_location", 0) + item_ok,
        "scans_rejected": sum(rejected.values()),
        "location_scans_rejected": rejected.get("location", 0),
        "item_scans_rejected": item_bad,
        "pick_accuracy": round(item_ok / (item_ok + item_bad), 4) if item_ok + item_bad else None,
        "lines_picked": lines_picked,
        "units_picked": units,
        "tasks_picked": tasks.get(TASK_PICKED, 0),
        "tasks_short": tasks.get(TASK_SHORT, 0),
        "tasks_open": sum(n for status, n in tasks.items() if status not in TASK_DONE),
        "orders_by_status": orders_by_status,
    }
