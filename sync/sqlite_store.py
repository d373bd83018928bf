"""SQLite adapters for the sync core: connection factory, outbox, inbox and dead letters."""
import json
import os
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlite_utils import Database, Migrations

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


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def connect(path: str) -> sqlite3.Connection:
    """Open a connection in autocommit mode (we issue BEGIN IMMEDIATE ourselves), WAL on."""
    conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


_pooled = threading.local()
POOL_PATHS_PER_THREAD = 8


@contextmanager
def pooled_connection(path: str):
    """Yield this thread's open connection to path, made by connect() once and reused by hot paths.

    Opening a connection costs more than a small transaction. The file's identity is checked on each use, so a
    database restored or replaced under the same path is reopened, never read through a stale handle. A nested use
    on the same thread gets a connection of its own, closed afterwards.
    """
    conns = _pooled.__dict__.setdefault("conns", {})
    entry = conns.get(path)
    identity = _file_identity(path)
    if entry is not None and entry[2]:  # already in use further up this thread's stack
        conn = connect(path)
        try:
            yield conn
        finally:
            conn.close()
        return
    if entry is None or identity is None or entry[1] != identity:
        if entry is not None:
            entry[0].close()
        entry = [connect(path), _file_identity(path), False]
        conns[path] = entry
        if len(conns) > POOL_PATHS_PER_THREAD:  # tests open many databases: keep only the most recent few
            oldest = next(iter(conns))
            if not conns[oldest][2]:
                conns.pop(oldest)[0].close()
    entry[2] = True
    try:
        yield entry[0]
    finally:
        entry[2] = False
        if entry[0].in_transaction:  # the user failed mid-transaction: leave the connection clean
            entry[0].execute("ROLLBACK")


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


@contextmanager
def write_transaction(path: str):
    """Yield a sqlite-utils Database inside BEGIN IMMEDIATE; commit on success, else roll back."""
    conn = connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield Database(conn)
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


@contextmanager
def read_connection(path: str):
    conn = connect(path)
    try:
        yield conn
    finally:
        conn.close()


@dataclass
class OutgoingEvent:
    """One event (or command) to append to a stream's outbox."""

    type: str
    data: dict
    occurred_at: str = ""
    device_id: str | None = None
    op_id: str | None = None
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))


def ensure_stream(db: Database, stream: str, epoch: int = 1) -> None:
    db.execute("INSERT OR IGNORE INTO sync_outbox_cursor (stream, epoch) VALUES (?, ?)", [stream, epoch])


def append_outbox(db: Database, stream: str, events: list[OutgoingEvent]) -> list[int]:
    """Append events to a stream inside the caller's open transaction; return their seqs.

    Seqs are gap-free per stream because rows are only ever added inside a write transaction.
    """
    ensure_stream(db, stream)
    (last,) = db.execute("SELECT COALESCE(MAX(seq), 0) FROM sync_outbox WHERE stream = ?", [stream]).fetchone()
    now, seqs = utc_now(), []
    for offset, event in enumerate(events, start=1):
        seq = last + offset
        db.execute(
            "INSERT INTO sync_outbox (stream, seq, event_id, type, occurred_at, recorded_at, device_id, op_id, data)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [stream, seq, event.event_id, event.type, event.occurred_at or now, now,
             event.device_id, event.op_id, json.dumps(event.data, separators=(",", ":"))])
        seqs.append(seq)
    return seqs


class SqliteOutboxStore:
    """The send side of one stream, read and acked through short-lived connections."""

    def __init__(self, path: str, stream: str):
        self.path, self.stream = path, stream
        with write_transaction(path) as db:
            ensure_stream(db, stream)
        self._epoch = self._cursor()["epoch"]

    def _cursor(self):
        with read_connection(self.path) as conn:
            return conn.execute("SELECT * FROM sync_outbox_cursor WHERE stream = ?", [self.stream]).fetchone()

    def epoch(self) -> int:
        return self._epoch

    def acked_through(self) -> int:
        return self._cursor()["acked_through"]

    def last_seq(self) -> int:
        with read_connection(self.path) as conn:
            (seq,) = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM sync_outbox WHERE stream = ?",
                                  [self.stream]).fetchone()
        return seq

    def depth(self) -> int:
        return self.last_seq() - self.acked_through()

    def read_after(self, seq: int, limit: int) -> list[dict]:
        with read_connection(self.path) as conn:
            rows = conn.execute(
                "SELECT seq, event_id, type, occurred_at, recorded_at, device_id, op_id, data FROM sync_outbox"
                " WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?", [self.stream, seq, limit]).fetchall()
        return [dict(row, data=json.loads(row["data"])) for row in rows]

    def mark_acked(self, seq: int) -> None:
        with write_transaction(self.path) as db:
            db.execute("UPDATE sync_outbox_cursor SET acked_through = MAX(acked_through, ?), acked_at = ?"
                       " WHERE stream = ?", [seq, utc_now(), self.stream])


class EventRejected(ValueError):
    """Raise from an apply function when an event is valid on the wire but cannot be applied."""


class SqliteInboxStore:
    """The receive side: each event is applied once, in seq order, with its ledger row."""

    def __init__(self, path: str):
        self.path = path

    def hwm(self, stream: str, epoch: int) -> int:
        with read_connection(self.path) as conn:
            row = conn.execute("SELECT hwm FROM sync_inbox_cursor WHERE stream = ? AND epoch = ?",
                               [stream, epoch]).fetchone()
        return row["hwm"] if row else 0

    def apply_batch(self, stream: str, epoch: int, events: list[dict], apply) -> tuple[int, bool]:
        """Apply the events past the high-water mark in one transaction; return (hwm, gap)."""
        gap = False
        with write_transaction(self.path) as db:
            db.execute("INSERT OR IGNORE INTO sync_inbox_cursor (stream, epoch) VALUES (?, ?)", [stream, epoch])
            (hwm,) = db.execute("SELECT hwm FROM sync_inbox_cursor WHERE stream = ? AND epoch = ?",
                                [stream, epoch]).fetchone()
            for event in sorted(events, key=lambda e: e["seq"]):
                if event["seq"] <= hwm:
                    continue  # already stored: a harmless duplicate
                if event["seq"] > hwm + 1:
                    gap = True
                    break
                outcome, reason = "applied", None
                try:
                    with db.atomic():  # a savepoint: a rejected event leaves no partial effects
                        apply(db, stream, event)
                except EventRejected as err:
                    outcome, reason = "rejected", str(err)
                    self._dead_letter_in(db, f"{stream}#{epoch}:{event['seq']}", json.dumps(event), str(err))
                db.execute(
                    "INSERT INTO sync_inbox (stream, epoch, seq, event_id, type, occurred_at, recorded_at,"
                    " device_id, op_id, data, received_at, outcome, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [stream, epoch, event["seq"], event["event_id"], event["type"], event["occurred_at"],
                     event["recorded_at"], event.get("device_id"), event.get("op_id"),
                     json.dumps(event["data"], separators=(",", ":")), utc_now(), outcome, reason])
                hwm = event["seq"]
            db.execute("UPDATE sync_inbox_cursor SET hwm = ?, updated_at = ? WHERE stream = ? AND epoch = ?",
                       [hwm, utc_now(), stream, epoch])
        return hwm, gap

    def dead_letter(self, topic: str, payload: bytes, reason: str) -> None:
        with write_transaction(self.path) as db:
            self._dead_letter_in(db, topic, payload.decode("utf-8", "replace")[:65536], reason)

    @staticmethod
    def _dead_letter_in(db: Database, topic: str, payload: str, reason: str) -> None:
        db.execute("INSERT INTO sync_dead_letters (topic, payload, reason, received_at) VALUES (?,?,?,?)",
                   [topic, payload, reason, utc_now()])


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
