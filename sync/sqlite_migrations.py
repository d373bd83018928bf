"""The sync tables' migrations (sqlite-utils), shared by the edge and the centre on SQLite.

Applied in the order they are registered here, which is not their numbers' order: m003 came before m002 when they
were written, and databases out there applied them so. The PostgreSQL schema is sync/pg_schema.py.
"""
from sqlite_utils import Database, Migrations

from .shared_ingest_schema import SHARED_INGEST_TABLES

sync_migrations = Migrations("sync")


@sync_migrations()
def m001_sync_tables(db: Database) -> None:
    db.executescript("""
    CREATE TABLE sync_outbox (
        stream TEXT NOT NULL, seq INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
        device_id TEXT, op_id TEXT, data TEXT NOT NULL, PRIMARY KEY (stream, seq));
    CREATE TABLE sync_outbox_cursor (
        stream TEXT PRIMARY KEY, epoch INTEGER NOT NULL, acked_through INTEGER NOT NULL DEFAULT 0,
        acked_at TEXT);
    CREATE TABLE sync_inbox (
        stream TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL, event_id TEXT NOT NULL,
        type TEXT NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, device_id TEXT,
        op_id TEXT, data TEXT NOT NULL, received_at TEXT NOT NULL, outcome TEXT NOT NULL,
        reason TEXT, PRIMARY KEY (stream, epoch, seq));
    CREATE INDEX sync_inbox_type ON sync_inbox (stream, type);
    CREATE TABLE sync_inbox_cursor (
        stream TEXT NOT NULL, epoch INTEGER NOT NULL, hwm INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT, PRIMARY KEY (stream, epoch));
    CREATE TABLE sync_dead_letters (
        id INTEGER PRIMARY KEY, topic TEXT NOT NULL, payload TEXT NOT NULL, reason TEXT NOT NULL,
        received_at TEXT NOT NULL);
    """)


@sync_migrations()
def m003_outbox_epochs(db: Database) -> None:
    """Key outbox rows by (stream, epoch, seq): a restored database starts a new epoch at seq 1."""
    db.executescript("""
    CREATE TABLE sync_outbox_keyed (
        stream TEXT NOT NULL, seq INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
        device_id TEXT, op_id TEXT, data TEXT NOT NULL, epoch INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (stream, epoch, seq));
    INSERT INTO sync_outbox_keyed
        SELECT o.*, COALESCE((SELECT epoch FROM sync_outbox_cursor c WHERE c.stream = o.stream), 1)
        FROM sync_outbox o;
    DROP TABLE sync_outbox;
    ALTER TABLE sync_outbox_keyed RENAME TO sync_outbox;
    CREATE TABLE sync_outbox_epochs (
        stream TEXT NOT NULL, epoch INTEGER NOT NULL, last_seq INTEGER NOT NULL, moved_from_seq INTEGER NOT NULL,
        moved INTEGER NOT NULL, ended_at TEXT NOT NULL, PRIMARY KEY (stream, epoch));
    """)


@sync_migrations()
def m002_dead_letter_review(db: Database) -> None:
    """Give dead letters a status (open, replayed, discarded) and an audit trail of who did what."""
    db.executescript("""
    ALTER TABLE sync_dead_letters ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
    ALTER TABLE sync_dead_letters ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sync_dead_letters ADD COLUMN resolved_at TEXT;
    ALTER TABLE sync_dead_letters ADD COLUMN resolved_by TEXT;
    ALTER TABLE sync_dead_letters ADD COLUMN resolution TEXT;
    CREATE INDEX sync_dead_letters_status ON sync_dead_letters (status, id);
    CREATE TABLE sync_dead_letter_audit (
        id INTEGER PRIMARY KEY, dead_letter_id INTEGER NOT NULL REFERENCES sync_dead_letters (id),
        action TEXT NOT NULL, outcome TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL, note TEXT);
    """)


@sync_migrations()
def m004_link_status(db: Database) -> None:
    """Keep the live link state where other processes of the same server can read it (see sync/link_status.py)."""
    db.execute("CREATE TABLE sync_link_status (stream TEXT PRIMARY KEY, connected INTEGER NOT NULL,"
               " peer_online INTEGER NOT NULL, auth_error TEXT, updated_at TEXT NOT NULL)")


@sync_migrations()
def m005_shared_ingest(db: Database) -> None:
    """Let several ingest workers share one database: batches parked past a gap, a leader lease, worker beats."""
    db.executescript(SHARED_INGEST_TABLES)
