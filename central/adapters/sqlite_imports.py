"""The order import log on SQLite: progress and row errors, written as the import goes, read by the API."""
import json
import sqlite3

from central.service.order_imports import RowError
from sync.sql_dialect import dialect_of
from sync.sqlite_store import utc_now, write_transaction


class SqliteImportLog:
    """Keep each import's counters and row errors, each write in its own short transaction."""

    def __init__(self, db_path: str):
        self.db_path = db_path

    def start(self, file_name: str, operator: str, rows_total: int, orders_total: int) -> str:
        with write_transaction(self.db_path) as db:
            db.execute("INSERT INTO counters (name, value) VALUES ('order_import', 1)"
                       " ON CONFLICT (name) DO UPDATE SET value = counters.value + 1")
            (value,) = db.execute("SELECT value FROM counters WHERE name = 'order_import'").fetchone()
            import_id = f"IMP-{value:06d}"
            db.execute("INSERT INTO order_imports (import_id, file_name, operator, status, started_at, rows_total,"
                       " orders_total) VALUES (?,?,?,?,?,?,?)",
                       [import_id, file_name[:256], operator, "running", utc_now(), rows_total, orders_total])
        return import_id

    def progress(self, import_id: str, rows_done: int, order_ids: list[str], refused: int,
                 errors: list[RowError], finished: bool) -> None:
        with write_transaction(self.db_path) as db:
            db.execute("UPDATE order_imports SET rows_done = ?, orders_imported = ?, orders_refused = ?,"
                       " order_ids = ?, status = ?, finished_at = ? WHERE import_id = ?",
                       [rows_done, len(order_ids), refused, json.dumps(order_ids), "done" if finished else "running",
                        utc_now() if finished else None, import_id])
            for error in errors:
                db.execute("INSERT INTO order_import_errors (import_id, row, external_order_id, field, message)"
                           " VALUES (?,?,?,?,?)",
                           [import_id, error.row, error.external_order_id, error.field, error.message])


def get_import(conn: sqlite3.Connection, import_id: str) -> dict | None:
    """Return an import's progress and its row errors in file order."""
    row = conn.execute("SELECT * FROM order_imports WHERE import_id = ?", [import_id]).fetchone()
    if row is None:
        return None
    report = dict(row, order_ids=json.loads(row["order_ids"]))
    report["errors"] = [dict(error) for error in conn.execute(
        "SELECT row, external_order_id, field, message FROM order_import_errors WHERE import_id = ?"
        f" ORDER BY row, {dialect_of(conn).rowid}", [import_id])]
    return report
