"""Read side of customer returns and put-backs: lists and views for the handheld, open items for the lead."""
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from edge.domain.lead_actions import RETURN_DIFFERENCE
from edge.domain.putaway import PUT_BACK, PUTAWAY_OPEN
from edge.domain.returns import CustomerReturn
from edge.service.returns import return_view, returnable_order

from .receiving_queries import putaway_tasks
from .sqlite_receiving import SqliteReceivingRepository
from .sqlite_repositories import (SqliteCartonRepository, SqliteItemRepository, SqliteLocationRepository,
                                  SqliteOrderRepository)
from .sqlite_returns import SqliteReturnRepository


@dataclass
class _Reads:
    """The repositories the return views read, over a read connection (nothing here writes)."""

    orders: SqliteOrderRepository
    cartons: SqliteCartonRepository
    items: SqliteItemRepository
    locations: SqliteLocationRepository
    receiving: SqliteReceivingRepository
    returns: SqliteReturnRepository


def _reads(conn: sqlite3.Connection) -> _Reads:
    db = Database(conn)
    return _Reads(SqliteOrderRepository(db), SqliteCartonRepository(db), SqliteItemRepository(db),
                  SqliteLocationRepository(db), SqliteReceivingRepository(db), SqliteReturnRepository(db))


def returns(conn: sqlite3.Connection, status: str | None = None, limit: int = 100) -> list[dict]:
    """List returns, open ones first, newest first, with units expected (RMA) and returned so far."""
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    rows = conn.execute(
        "SELECT return_id, rma_id, order_id, customer, status, created_at, closed_at,"
        " (SELECT COALESCE(SUM(value), 0) FROM json_each(r.expected)) AS expected_qty,"
        " (SELECT COALESCE(SUM(json_extract(value, '$.qty')), 0) FROM json_each(r.lines)) AS returned_qty"
        f" FROM customer_returns r {where} ORDER BY status = 'closed', created_at DESC, return_id LIMIT ?",
        [*params, limit])
    return [dict(row) for row in rows]


def return_detail(conn: sqlite3.Connection, return_id: str) -> dict | None:
    """Show one return with the order's shipped lines (barcodes, tracking, restock location) and its putaways."""
    reads = _reads(conn)
    found: CustomerReturn | None = reads.returns.get(return_id)
    if found is None:
        return None
    return return_view(found, reads) | {"putaway_tasks": putaway_tasks(conn, return_id, include_done=True)}


def order_to_return(conn: sqlite3.Connection, order_id: str) -> dict:
    """Describe a shipped order for a return about to be opened; raise the domain refusal when it cannot be."""
    return returnable_order(order_id, _reads(conn))


def open_put_backs(conn: sqlite3.Connection, limit: int = 200) -> list[dict]:
    """Put-back tasks not yet done: goods of cancelled orders waiting in the pack area to go back."""
    rows = conn.execute(
        "SELECT p.task_id, p.receipt_id AS order_id, p.sku, p.qty, p.suggested, p.from_location, o.customer"
        " FROM putaway_tasks p LEFT JOIN orders o ON o.order_id = p.receipt_id"
        " WHERE p.kind = ? AND p.status = ? ORDER BY p.task_id LIMIT ?", [PUT_BACK, PUTAWAY_OPEN, limit])
    return [dict(row) for row in rows]


def return_exceptions(conn: sqlite3.Connection, limit: int = 100) -> list[dict]:
    """Returns that differed from their RMA (fewer items than announced, or items it did not announce),
    newest first, until the lead acknowledges them."""
    return [dict(row) for row in conn.execute(
        "SELECT e.id, e.return_id, e.order_id, e.sku, e.expected, e.returned, e.kind, e.recorded_at"
        " FROM return_exceptions e WHERE NOT EXISTS (SELECT 1 FROM exception_resolutions r"
        " WHERE r.kind = ? AND r.ref = CAST(e.id AS TEXT)) ORDER BY e.id DESC LIMIT ?", [RETURN_DIFFERENCE, limit])]
