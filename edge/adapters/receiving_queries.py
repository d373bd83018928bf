"""Read side of receiving and putaway: receipts, putaway lists and the exceptions the site lead works through."""
import sqlite3

from sqlite_utils import Database

from edge.service.receiving import receipt_view, task_view

from .sqlite_receiving import SqliteReceivingRepository
from .sqlite_repositories import SqliteItemRepository, SqliteLocationRepository


def receipts(conn: sqlite3.Connection, status: str | None = None, limit: int = 100) -> list[dict]:
    """List receipts (ASN and blind), open ones first, newest first."""
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    rows = conn.execute(
        "SELECT receipt_id, asn_id, supplier, status, created_at, closed_at,"
        " (SELECT COALESCE(SUM(qty), 0) FROM receipt_expected e WHERE e.receipt_id = r.receipt_id) AS expected_qty,"
        " (SELECT COALESCE(SUM(qty), 0) FROM receipt_received x WHERE x.receipt_id = r.receipt_id) AS received_qty"
        f" FROM receipts r {where} ORDER BY status = 'closed', created_at DESC, receipt_id LIMIT ?", [*params, limit])
    return [dict(row) | {"blind": not row["asn_id"]} for row in rows]


def receipt_detail(conn: sqlite3.Connection, receipt_id: str) -> dict | None:
    """Show one receipt with its expected lines (and the barcodes each accepts), arrivals and putaways."""
    db = Database(conn)
    receipt = SqliteReceivingRepository(db).get_receipt(receipt_id)
    if receipt is None:
        return None
    return receipt_view(receipt, SqliteItemRepository(db).get) | {
        "putaway_tasks": putaway_tasks(conn, receipt_id, include_done=True)}


def putaway_tasks(conn: sqlite3.Connection, receipt_id: str | None = None, include_done: bool = False) -> list[dict]:
    """List putaway tasks, oldest first: open ones only unless include_done."""
    db = Database(conn)
    repo, locations, items = SqliteReceivingRepository(db), SqliteLocationRepository(db), SqliteItemRepository(db)
    tasks = repo.for_receipt(receipt_id) if include_done and receipt_id else repo.open_tasks(receipt_id)
    return [task_view(task, locations.get, items.get) for task in tasks]


def receiving_exceptions(conn: sqlite3.Connection, include_resolved: bool = False, limit: int = 200) -> list[dict]:
    """List receiving discrepancies for the site lead (newest first): asn_id, sku, expected, received, kind."""
    where = "" if include_resolved else "WHERE resolved_at = ''"
    return [dict(row) for row in conn.execute(
        "SELECT id, receipt_id, asn_id, sku, expected, received, kind, recorded_at, resolved_at"
        f" FROM receiving_exceptions {where} ORDER BY id DESC LIMIT ?", [limit])]


def putaway_task(conn: sqlite3.Connection, task_id: str) -> dict | None:
    db = Database(conn)
    task = SqliteReceivingRepository(db).get_task(task_id)
    return task_view(task, SqliteLocationRepository(db).get, SqliteItemRepository(db).get) if task else None
