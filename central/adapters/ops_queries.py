"""Read side of the ops view: orders with filters, one order end to end, sites' sync state, headline counts."""
import json
import sqlite3

from central.domain.orders import CLOSED_STATUSES, ORDER_SPLIT
from central.domain.ship_risk import OpenOrder
from sync.health import outbox_health, site_up_health
from sync.sql_dialect import dialect_of

from .queries import get_order

CLOSED = ",".join("?" * len(CLOSED_STATUSES))
ORDER_FIELDS = ("o.order_id, o.external_ref, o.customer, o.priority, o.requested_ship_date, o.status, o.site_id,"
                " o.kind, o.parent_order_id, o.created_at, o.updated_at")


def order_page(conn: sqlite3.Connection, status: str | None, site_id: str | None, customer: str | None,
               only: list[str] | None, limit: int, offset: int) -> dict:
    """Return one page of orders, newest first, and how many match; `only` restricts to these order ids."""
    where, params = [], []
    if status:
        where.append("o.status = ?")
        params.append(status)
    if site_id:
        where.append("o.site_id = ?")
        params.append(site_id)
    if customer:
        where.append(dialect_of(conn).contains("lower(o.customer)", "lower(?)"))
        params.append(customer)
    if only is not None:
        where.append(dialect_of(conn).in_json_list("o.order_id"))
        params.append(json.dumps(only))
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    (total,) = conn.execute(f"SELECT COUNT(*) FROM orders o{clause}", params).fetchone()
    rows = conn.execute(
        f"SELECT {ORDER_FIELDS}, (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.order_id) AS lines,"
        " (SELECT COALESCE(SUM(l.qty), 0) FROM order_lines l WHERE l.order_id = o.order_id) AS units,"
        " (SELECT COALESCE(SUM(l.picked_qty), 0) FROM order_lines l WHERE l.order_id = o.order_id) AS picked"
        f" FROM orders o{clause} ORDER BY o.created_at DESC, o.order_id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset])
    return {"total": total, "orders": [dict(row) for row in rows]}


def order_end_to_end(conn: sqlite3.Connection, order_id: str) -> dict | None:
    """Return an order with lines, parts, status history and the site events received for it and its parts."""
    order = get_order(conn, order_id)
    if order is None:
        return None
    ids = [order_id, *(part["order_id"] for part in order["parts"])]
    parent = order["parent_order_id"]
    order["parent"] = get_order(conn, parent) if parent else None
    rows = conn.execute(
        "SELECT stream, epoch, seq, type, occurred_at, received_at, outcome, reason, data FROM sync_inbox"
        f" WHERE {dialect_of(conn).in_json_list(dialect_of(conn).json_text('data', 'order_id'))}"
        " ORDER BY occurred_at, stream, epoch, seq", [json.dumps(ids)])
    order["events"] = [dict(row, data=json.loads(row["data"])) for row in rows]
    return order


def open_orders(conn: sqlite3.Connection, order_ids: list[str] | None = None) -> list[OpenOrder]:
    """Return every order still to ship, with the units it still has to pick (split parents excluded).

    With order_ids: only what their forecast needs, i.e. every open order at their sites, and themselves.
    """
    only, dialect = "", dialect_of(conn)
    if order_ids is not None:
        only = (f" AND ({dialect.in_json_list('o.order_id', ':ids')} OR o.site_id IN (SELECT site_id FROM orders"
                f" WHERE {dialect.in_json_list('order_id', ':ids')} AND site_id IS NOT NULL))")
    rows = conn.execute(
        "SELECT o.order_id, o.customer, o.site_id, o.status, o.priority, o.requested_ship_date, o.note,"
        " COALESCE(SUM(CASE WHEN l.qty - l.picked_qty - l.short_qty > 0 THEN l.qty - l.picked_qty - l.short_qty"
        " ELSE 0 END), 0) AS units_left"
        " FROM orders o LEFT JOIN order_lines l ON l.order_id = o.order_id"
        f" WHERE o.status NOT IN ({_named(CLOSED_STATUSES)}, :split, 'cancel_requested'){only} GROUP BY o.order_id",
        {**{f"s{n}": status for n, status in enumerate(CLOSED_STATUSES)}, "split": ORDER_SPLIT,
         "ids": json.dumps(order_ids or [])})
    return [OpenOrder(r["order_id"], r["customer"], r["site_id"], r["status"], r["priority"],
                      r["requested_ship_date"], r["units_left"], r["note"]) for r in rows]


def _named(values) -> str:
    return ",".join(f":s{n}" for n in range(len(values)))


def sites(conn: sqlite3.Connection) -> list[dict]:
    return [dict(row) for row in conn.execute("SELECT site_id, name, online, last_seen_at, last_state FROM sites"
                                              " ORDER BY site_id")]


def sync_states(conn: sqlite3.Connection, peer_online=None) -> list[dict]:
    """Return each site's sync state: presence, events held and lag as the site reports it, commands waiting."""
    states = []
    for site in sites(conn):
        events = site_up_health(conn, site["site_id"], site["last_state"])
        commands = outbox_health(conn, site["site_id"])
        states.append({"site_id": site["site_id"], "name": site["name"], "online": bool(site["online"]),
                       "peer_online": peer_online(site["site_id"]) if peer_online else None,
                       "last_seen_at": site["last_seen_at"], "last_event_at": events["last_received_at"],
                       "received_through_seq": events["received_through_seq"], "epoch": events["epoch"],
                       "lag_events": events["lag_events"], "site_outbox_depth": events["site_outbox_depth"],
                       "commands_waiting": commands["lag_events"], "commands_lag_seconds": commands["lag_seconds"]})
    return states


def status_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT status, COUNT(*) FROM orders GROUP BY status").fetchall())


def open_dead_letters(conn: sqlite3.Connection, limit: int = 20) -> dict:
    (count,) = conn.execute("SELECT COUNT(*) FROM sync_dead_letters WHERE status = 'open'").fetchone()
    rows = conn.execute("SELECT id, topic, reason, received_at, attempts FROM sync_dead_letters"
                        " WHERE status = 'open' ORDER BY id DESC LIMIT ?", [limit])
    return {"count": count, "letters": [dict(row) for row in rows]}
