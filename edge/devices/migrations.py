"""Tables of the edge device layer, in their own migration set so they can be applied beside the edge's."""
from sqlite_utils import Database, Migrations

from sync.sqlite_store import connect

device_migrations = Migrations("edge_devices")


@device_migrations()
def m001_print_queue(db: Database) -> None:
    db.executescript("""
    CREATE TABLE edge_print_jobs (
        job_id INTEGER PRIMARY KEY, printer TEXT NOT NULL, label_kind TEXT NOT NULL, ref TEXT NOT NULL DEFAULT '',
        sscc TEXT, zpl TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        last_error TEXT NOT NULL DEFAULT '', reprint_of INTEGER REFERENCES edge_print_jobs (job_id));
    CREATE INDEX edge_print_jobs_due ON edge_print_jobs (status, printer, next_attempt_at);
    CREATE INDEX edge_print_jobs_sscc ON edge_print_jobs (sscc);
    CREATE TABLE edge_print_outcomes (
        id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL REFERENCES edge_print_jobs (job_id), at TEXT NOT NULL,
        printer TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
    CREATE TABLE edge_printer_state (
        printer TEXT PRIMARY KEY, online INTEGER NOT NULL DEFAULT 1, failures INTEGER NOT NULL DEFAULT 0,
        next_poll_at TEXT NOT NULL DEFAULT '', last_problem TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL);
    CREATE TABLE edge_sscc_counters (
        series TEXT PRIMARY KEY, next_serial INTEGER NOT NULL, last_serial INTEGER NOT NULL);
    """)


def apply_device_migrations(db_path: str) -> None:
    """Create or upgrade the device tables in the edge database (idempotent)."""
    conn = connect(db_path)
    try:
        device_migrations.apply(Database(conn))
    finally:
        conn.close()
