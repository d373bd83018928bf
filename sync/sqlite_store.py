"""SQLite adapters for the sync core: outbox, inbox and dead letters.

Connections and transactions live in sync/sqlite_connections.py and the tables' migrations in sync/sqlite_migrations.py;
they are re-exported here because every store and server imports them from this module.
"""
import json
from dataclasses import dataclass, field

from sqlite_utils import Database

from protocols.messages.event_ids import new_event_id

from .batch_codec import data_json
from .sql_dialect import dialect_of, is_postgres_url
from .sqlite_connections import (as_database, connect, pooled_connection, pooled_write,  # noqa: F401
                                 read_connection, utc_now, write_transaction, writer_lock)
from .sqlite_migrations import sync_migrations  # noqa: F401


@dataclass
class OutgoingEvent:
    """One event (or command) to append to a stream's outbox."""

    type: str
    data: dict
    occurred_at: str = ""
    device_id: str | None = None
    op_id: str | None = None
    event_id: str = field(default_factory=new_event_id)  # time-ordered: appends to the event_id index


def ensure_stream(db: Database, stream: str, epoch: int = 1) -> None:
    db.execute("INSERT INTO sync_outbox_cursor (stream, epoch) VALUES (?, ?) ON CONFLICT DO NOTHING", [stream, epoch])


def append_outbox(db: Database, stream: str, events: list[OutgoingEvent]) -> list[int]:
    """Append events to a stream inside the caller's open transaction; return their seqs.

    Seqs are gap-free per (stream, epoch) because rows are only ever added inside a write transaction, which on
    PostgreSQL holds the stream's cursor row until it commits.
    """
    lock = dialect_of(db).for_update  # PostgreSQL: the stream's cursor row keeps its seqs gap-free
    row = db.execute("SELECT c.epoch, (SELECT COALESCE(MAX(o.seq), 0) FROM sync_outbox o WHERE o.stream = c.stream"
                     " AND o.epoch = c.epoch) FROM sync_outbox_cursor c WHERE c.stream = ?" + lock, [stream]).fetchone()
    if row is None:  # the stream's first event
        ensure_stream(db, stream)
        row = (db.execute("SELECT epoch FROM sync_outbox_cursor WHERE stream = ?" + lock, [stream]).fetchone()[0], 0)
    epoch, last = row
    now = utc_now()
    seqs = list(range(last + 1, last + 1 + len(events)))
    db.conn.executemany(
        "INSERT INTO sync_outbox (stream, epoch, seq, event_id, type, occurred_at, recorded_at, device_id, op_id, data)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(stream, epoch, seq, event.event_id, event.type, event.occurred_at or now, now, event.device_id,
          event.op_id, data_json(event.data)) for seq, event in zip(seqs, events)])
    return seqs


class SqliteOutboxStore:
    """The send side of one stream, read and acked through the thread's pooled connection."""

    ROW_COLUMNS = "seq, event_id, type, occurred_at, recorded_at, device_id, op_id, data"

    def __init__(self, path: str, stream: str):
        self.path, self.stream = path, stream
        with pooled_write(path) as conn:
            ensure_stream(as_database(conn), stream)
        self._epoch = self._cursor()["epoch"]

    def _read(self, sql: str, params: list) -> list:
        with pooled_connection(self.path) as conn:
            return conn.execute(sql, params).fetchall()

    def _cursor(self):
        return self._read("SELECT * FROM sync_outbox_cursor WHERE stream = ?", [self.stream])[0]

    def epoch(self) -> int:
        return self._epoch

    def acked_through(self) -> int:
        return self._cursor()["acked_through"]

    def last_seq(self) -> int:
        return self._read("SELECT COALESCE(MAX(seq), 0) FROM sync_outbox WHERE stream = ? AND epoch = ?",
                          [self.stream, self._epoch])[0][0]

    def depth(self) -> int:
        return self.last_seq() - self.acked_through()

    def read_rows_after(self, seq: int, limit: int) -> list[tuple]:
        """Return up to `limit` rows of the current epoch after `seq`, with `data` still JSON text."""
        return self._read(f"SELECT {self.ROW_COLUMNS} FROM sync_outbox WHERE stream = ? AND epoch = ? AND seq > ?"
                          " ORDER BY seq LIMIT ?", [self.stream, self._epoch, seq, limit])

    def read_after(self, seq: int, limit: int) -> list[dict]:
        return [dict(row, data=json.loads(row["data"])) for row in self.read_rows_after(seq, limit)]

    def mark_acked(self, seq: int) -> None:
        # The ack mark is a hint: if a power cut loses its last update, those rows are resent and the
        # receiver drops them as duplicates. So it need not wait for fsync (the outbox rows still do).
        with pooled_write(self.path, synchronous="NORMAL") as conn:
            latest = dialect_of(conn).greatest("acked_through", "?")
            conn.execute(f"UPDATE sync_outbox_cursor SET acked_through = {latest}, acked_at = ?"
                         " WHERE stream = ? AND epoch = ?", [seq, utc_now(), self.stream, self._epoch])

    def start_new_epoch(self, from_seq: int) -> int:
        """Move this epoch's rows from `from_seq` on into a new epoch (renumbered from 1); return the epoch.

        Rows below `from_seq` are known to be in the receiver's ledger; the rest never reached it
        under their old numbers, so they travel again as the new epoch's first seqs.
        """
        with write_transaction(self.path) as db:
            conn = db.conn
            (epoch,) = conn.execute("SELECT epoch FROM sync_outbox_cursor WHERE stream = ?"
                                    + dialect_of(conn).for_update, [self.stream]).fetchone()
            if epoch == self._epoch:
                (top,) = conn.execute("SELECT MAX(epoch) FROM sync_outbox WHERE stream = ?", [self.stream]).fetchone()
                new = max(epoch, top or 0) + 1
                moved = conn.execute("UPDATE sync_outbox SET epoch = ?, seq = seq - ? WHERE stream = ? AND epoch = ?"
                                     " AND seq >= ?", [new, from_seq - 1, self.stream, epoch, from_seq]).rowcount
                conn.execute("INSERT INTO sync_outbox_epochs (stream, epoch, last_seq, moved_from_seq, moved, ended_at)"
                             " VALUES (?,?,?,?,?,?) ON CONFLICT (stream, epoch) DO UPDATE SET last_seq ="
                             " excluded.last_seq, moved_from_seq = excluded.moved_from_seq, moved = excluded.moved,"
                             " ended_at = excluded.ended_at",
                             [self.stream, epoch, from_seq - 1, from_seq, moved, utc_now()])
                conn.execute("UPDATE sync_outbox_cursor SET epoch = ?, acked_through = 0 WHERE stream = ?",
                             [new, self.stream])
                epoch = new
        self._epoch = epoch
        return epoch


class EventRejected(ValueError):
    """Raise from an apply function when an event is valid on the wire but cannot be applied."""


@dataclass
class InboxResult:
    """What one batch did: the new high-water mark, a gap before it, or where the sender's stream differs."""

    hwm: int
    gap: bool = False
    diverged_from: int | None = None
    verified_through: int = 0


class SqliteInboxStore:
    """The receive side: each event is applied once, in seq order, with its ledger row."""

    LEDGER_INSERT = ("INSERT INTO sync_inbox (stream, epoch, seq, event_id, type, occurred_at, recorded_at,"
                     " device_id, op_id, data, received_at, outcome, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")

    def __init__(self, path: str):
        self.path = path

    def hwm(self, stream: str, epoch: int) -> int:
        with pooled_connection(self.path) as conn:
            row = conn.execute("SELECT hwm FROM sync_inbox_cursor WHERE stream = ? AND epoch = ?",
                               [stream, epoch]).fetchone()
        return row["hwm"] if row else 0

    def apply_batch(self, stream: str, epoch: int, events: list[dict], apply) -> tuple[int, bool]:
        """Apply the events past the high-water mark in one transaction; return (hwm, gap)."""
        result = self.receive(stream, epoch, events, apply)
        return result.hwm, result.gap

    def receive(self, stream: str, epoch: int, events: list[dict], apply) -> InboxResult:
        """Check resent events against the ledger, then apply the new ones in one transaction.

        A resent seq whose event_id differs from the ledger's means the sender's database was
        restored: nothing is applied and the first differing seq is reported.
        """
        events = sorted(events, key=lambda e: e["seq"])
        self._prepare_ledger(events)
        with pooled_write(self.path) as conn:
            return self.receive_in(conn, stream, epoch, events, apply)

    def receive_in(self, conn, stream: str, epoch: int, events: list[dict], apply) -> InboxResult:
        """Do what `receive` does inside the caller's open write transaction (several steps, one commit)."""
        events = sorted(events, key=lambda e: e["seq"])
        conn.execute("INSERT INTO sync_inbox_cursor (stream, epoch) VALUES (?, ?) ON CONFLICT DO NOTHING",
                     [stream, epoch])
        # on PostgreSQL the cursor's row lock makes a site's batches take turns (other sites go on)
        (hwm,) = conn.execute("SELECT hwm FROM sync_inbox_cursor WHERE stream = ? AND epoch = ?"
                              + dialect_of(conn).for_update, [stream, epoch]).fetchone()
        resent = [e for e in events if e["seq"] <= hwm]
        if resent:
            stored = dict(conn.execute(
                "SELECT seq, event_id FROM sync_inbox WHERE stream = ? AND epoch = ? AND seq BETWEEN ? AND ?",
                [stream, epoch, resent[0]["seq"], resent[-1]["seq"]]).fetchall())
            for event in resent:
                if stored.get(event["seq"]) != event["event_id"]:
                    return InboxResult(hwm, diverged_from=event["seq"], verified_through=event["seq"] - 1
                                       if event is not events[0] else 0)
        fresh = [e for e in events if e["seq"] > hwm]
        if fresh and fresh[0]["seq"] > hwm + 1:
            return InboxResult(hwm, gap=True, verified_through=min(hwm, events[-1]["seq"]))
        if fresh:
            outcomes = self._apply_all(as_database(conn), stream, epoch, fresh, apply)
            now = utc_now()
            self._insert_ledger(conn, [
                (stream, epoch, e["seq"], e["event_id"], e["type"], e["occurred_at"], e["recorded_at"],
                 e.get("device_id"), e.get("op_id"), data_json(e["data"]), now,
                 outcome, reason) for e, (outcome, reason) in zip(fresh, outcomes)])
            hwm = fresh[-1]["seq"]
            conn.execute("UPDATE sync_inbox_cursor SET hwm = ?, updated_at = ? WHERE stream = ? AND epoch = ?",
                         [hwm, now, stream, epoch])
        return InboxResult(hwm, verified_through=min(hwm, events[-1]["seq"]) if events else hwm)

    def _prepare_ledger(self, events: list[dict]) -> None:
        """On PostgreSQL, make sure the ledger has the monthly partitions these events go to."""
        if events and is_postgres_url(self.path):
            from .pg_schema import ensure_ledger_partitions, ledger_day, missing_partitions
            days = {ledger_day(e.get("occurred_at")) for e in events}
            if missing_partitions(self.path, days):
                with pooled_connection(self.path) as conn:
                    ensure_ledger_partitions(conn, days)

    def _insert_ledger(self, conn, rows: list[tuple]) -> None:
        if dialect_of(conn).postgres:
            from .pg_schema import insert_ledger_rows
            insert_ledger_rows(conn, rows)  # adds the partition key, occurred_on
        else:
            conn.executemany(self.LEDGER_INSERT, rows)

    def _apply_all(self, db: Database, stream: str, epoch: int, events: list[dict], apply) -> list[tuple]:
        """Apply events in one savepoint; only if one is rejected, redo them one savepoint each."""
        try:
            with db.atomic():
                for event in events:
                    apply(db, stream, event)
            return [("applied", None)] * len(events)
        except EventRejected:
            pass  # rolled back: redo event by event so the rejected one leaves no partial effects
        outcomes = []
        for event in events:
            try:
                with db.atomic():
                    apply(db, stream, event)
                outcomes.append(("applied", None))
            except EventRejected as err:
                outcomes.append(("rejected", str(err)))
                self._dead_letter_in(db, f"{stream}#{epoch}:{event['seq']}", json.dumps(event), str(err))
        return outcomes

    def dead_letter(self, topic: str, payload: bytes, reason: str) -> None:
        with write_transaction(self.path) as db:
            # NUL bytes become U+FFFD like other undecodable bytes: PostgreSQL text cannot hold them
            text = payload.decode("utf-8", "replace").replace("\x00", "\ufffd")
            self._dead_letter_in(db, topic, text[:65536], reason)

    @staticmethod
    def _dead_letter_in(db: Database, topic: str, payload: str, reason: str) -> None:
        db.execute("INSERT INTO sync_dead_letters (topic, payload, reason, received_at) VALUES (?,?,?,?)",
                   [topic, payload, reason, utc_now()])
