"""Read side of the centre: plain SQL for the API, bypassing the domain (writes never do)."""
import json
import sqlite3

from central.domain.allocation import PACK_LOCATION
from central.domain.orders import CLOSED_STATUSES

from .return_queries import order_returns


def _site(row) -> dict:
    return {"site_id": row["site_id"], "name": row["name"], "online": bool(row["online"]),
            "last_seen_at": row["last_seen_at"],
            "last_state": json.loads(row["last_state"]) if row["last_state"] else None}


def list_sites(conn: sqlite3.Connection) -> list[dict]:
    return [_site(row) for row in conn.execute("SELECT * FROM sites ORDER BY site_id")]


def get_site(conn: sqlite3.Connection, site_id: str) -> dict | None:
    row = conn.execute("SELECT * FROM sites WHERE site_id = ?", [site_id]).fetchone()
    return _site(row) if row else None


def _item(row) -> dict:
    return {"sku": row["sku"], "description": row["description"], "gtins": json.loads(row["gtins"]),
            "tracking": row["tracking"]}


def list_items(conn: sqlite3.Connection, limit: int, offset: int) -> list[dict]:
    rows = conn.execute("SELECT * FROM items ORDER BY sku LIMIT ? OFFSET ?", [limit, offset])
    return [_item(row) for row in rows]


def get_item(conn: sqlite3.Connection, sku: str) -> dict | None:
    row = conn.execute("SELECT * FROM items WHERE sku = ?", [sku]).fetchone()
    return _item(row) if row else None


def site_locations(conn: sqlite3.Connection, site_id: str) -> list[dict]:
    rows = conn.execute("SELECT location, barcode, zone, pick_seq FROM locations WHERE site_id = ?"
                        " ORDER BY pick_seq, location", [site_id])
    return [dict(row) for row in rows]


def site_stock(conn: sqlite3.Connection, site_id: str) -> dict:
    """Return a site's stock rows (PACK included) and per sku: on hand, packed, owed, available."""
    rows = [dict(row) for row in conn.execute(
        "SELECT location, sku, lot, qty FROM stock WHERE site_id = ? ORDER BY location, sku, lot", [site_id])]
    owed = dict(conn.execute(
        "SELECT l.sku, SUM(MAX(l.qty - l.picked_qty - l.short_qty, 0)) FROM order_lines l"
        " JOIN orders o ON o.order_id = l.order_id"
        f" WHERE o.site_id = ? AND o.status NOT IN ({','.join('?' * len(CLOSED_STATUSES))}) GROUP BY l.sku",
        [site_id, *CLOSED_STATUSES]).fetchall())
    summary: dict[str, dict] = {}
    for row in rows:
        entry = summary.setdefault(row["sku"], {"sku": row["sku"], "on_hand": 0, "in_pack": 0})
        entry["in_pack" if row["location"] == PACK_LOCATION else "on_hand"] += row["qty"]
    for sku in owed:
        summary.setdefault(sku, {"sku": sku, "on_hand": 0, "in_pack": 0})
    for sku, entry in summary.items():
        entry["outstanding"] = owed.get(sku, 0)
        entry["available"] = entry["on_hand"] - entry["outstanding"]
    return {"site_id": site_id, "stock": rows, "summary": [summary[sku] for sku in sorted(summary)]}


def list_orders(conn: sqlite3.Connection, status: str | None, site_id: str | None,
                limit: int, offset: int) -> list[dict]:
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if site_id:
        where.append("site_id = ?")
        params.append(site_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(f"SELECT * FROM orders {clause} ORDER BY order_id DESC LIMIT ? OFFSET ?",
                        [*params, limit, offset])
    return [dict(row) for row in rows]


def get_order(conn: sqlite3.Connection, order_id: str) -> dict | None:
    """Return an order with its lines (picked and short) and its status history, oldest first."""
    row = conn.execute("SELECT * FROM orders WHERE order_id = ?", [order_id]).fetchone()
    if row is None:
        return None
    order = dict(row)
    order["lines"] = [dict(line) for line in conn.execute(
        "SELECT line_no, sku, qty, picked_qty, short_qty FROM order_lines WHERE order_id = ? ORDER BY line_no",
        [order_id])]
    order["history"] = [dict(change) for change in conn.execute(
        "SELECT status, at, source, note, actor FROM order_status_history WHERE order_id = ? ORDER BY id",
        [order_id])]
    order["allow_split"] = bool(order["allow_split"])
    order["parts"] = [dict(part, allow_split=bool(part["allow_split"])) for part in conn.execute(
        "SELECT * FROM orders WHERE parent_order_id = ? ORDER BY rowid", [order_id])]
    order["returns"] = order_returns(conn, order_id)
    return order
