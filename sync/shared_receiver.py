"""Receive batches in one of several ingest workers: order and parking live in the database, not in memory.

With an MQTT shared subscription the broker hands each batch to any worker, so two batches of one site can reach
different workers, even out of order. Each worker therefore reads the site's high-water mark inside its write
transaction; a batch that continues it is applied, and any parked batches it unblocks are applied after it in
the same transaction; a batch past a gap is parked in `sync_parked_batches` for whichever worker fills the gap.
The new SQL is portable (`?` placeholders, `INSERT ... ON CONFLICT`): the same statements run on PostgreSQL, where
the cursor row's lock (not the SQLite writer lock) serialises the workers of one site.
"""
import logging
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Callable

from .batch_codec import decode_batch, data_json
from .receiver import BatchReceiver
from .sqlite_store import SqliteInboxStore, pooled_connection, pooled_write

log = logging.getLogger(__name__)

DELIVERY_SLACK_S = 0.5  # a batch published before a parked one reaches its worker within this
PARK = ("INSERT INTO sync_parked_batches (stream, epoch, first_seq, last_seq, payload, parked_at, parked_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (stream, epoch, first_seq) DO NOTHING")
# Create or touch the site's cursor row: the no-op update takes the row's lock on PostgreSQL (SQLite already holds
# its writer lock), so the high-water mark read next is the committed one and no other worker moves it meanwhile.
LOCK_CURSOR = ("INSERT INTO sync_inbox_cursor (stream, epoch) VALUES (?, ?) ON CONFLICT (stream, epoch)"
               " DO UPDATE SET hwm = sync_inbox_cursor.hwm")
NEXT_PARKED = ("SELECT first_seq, last_seq, payload FROM sync_parked_batches WHERE stream = ? AND epoch = ?"
               " ORDER BY first_seq LIMIT 1")


@dataclass
class Settled:
    """What one batch came to inside a transaction; `ack` is False when it was parked (the drainer acks it)."""

    site: str
    epoch: int
    verified: int
    ack: bool = True
    resend_from: int | None = None
    diverged_from: int | None = None
    applied: int = 0


class SharedBatchReceiver(BatchReceiver):
    """Apply batches exactly once and in seq order while other workers do the same on the same database.

    Several batches (from any sites) can be settled in one transaction, so one commit serves them all: with many
    sites sending small batches, a commit per batch is what limits a centre. Acks go out only after the commit,
    from the worker that applied. Parked batches expire after `reorder_timeout` seconds into the usual
    `resend_from` ack, as a single receiver's held batches do.
    """

    def __init__(self, store: SqliteInboxStore, transport, apply, ack_topic_for, *, worker: str,
                 reorder_timeout: float = 5.0, max_parked_per_stream: int = 64, clock: Callable[[], float] = time.time,
                 transaction: Callable[[], AbstractContextManager] | None = None,
                 all_caught_up_at: Callable[[], float] = lambda: float("inf")):
        super().__init__(store, transport, apply, ack_topic_for, reorder_timeout=reorder_timeout, clock=clock)
        self.all_caught_up_at = all_caught_up_at
        self.worker, self.max_parked_per_stream = worker, max_parked_per_stream
        self._transaction = transaction or (lambda: pooled_write(store.path))
        self.parked = 0
        self.commits = 0
        self._next_expiry_check = 0.0

    def on_batch(self, topic: str, site: str, payload: bytes) -> dict | None:
        """Apply (or park) one batch message in one transaction; return the ack sent, None if parked or refused."""
        acks = self.on_batches([(topic, site, payload)])
        return acks[-1] if acks else None

    def on_batches(self, messages: list[tuple[str, str, bytes]]) -> list[dict]:
        """Settle batch messages (topic, site, payload) in one transaction, then send their acks; return them.

        They are settled in (site, epoch, first_seq) order: fewer batches wait parked, and on PostgreSQL two
        workers lock the sites' cursor rows in the same order, so they queue rather than deadlock. If the group
        fails, each batch is tried again in a transaction of its own, so one bad batch cannot hold back the rest.
        """
        decoded = [(site, batch, payload) for topic, site, payload in messages
                   if (batch := self.decode(topic, site, payload)) is not None]
        decoded.sort(key=lambda item: (item[0], item[1]["epoch"], item[1]["first_seq"]))
        try:
            return self._send_acks(self._settle_all(decoded)) if decoded else []
        except Exception:
            if len(decoded) == 1:
                raise
            log.exception("%s: a group of %s batches failed; settling them one by one", self.worker, len(decoded))
        acks = []
        for one in decoded:
            try:
                acks += self._send_acks(self._settle_all([one]))
            except Exception:
                log.exception("%s: could not settle a batch of %s; the site will resend it", self.worker, one[0])
        return acks

    def _settle_all(self, decoded: list[tuple[str, dict, bytes]]) -> list[Settled]:
        with self._transaction() as conn:
            settled = [self._settle(conn, site, batch, payload) for site, batch, payload in decoded]
        self.commits += 1
        self.applied += sum(s.applied for s in settled)
        self.parked += sum(not s.ack for s in settled)
        return settled

    def _send_acks(self, settled: list[Settled]) -> list[dict]:
        """Ack each site once per group (its highest verified seq), plus every resend or divergence answer."""
        plain: dict[tuple[str, int], int] = {}
        acks = []
        for s in settled:
            if not s.ack:
                continue
            if s.resend_from is None and s.diverged_from is None:
                plain[(s.site, s.epoch)] = max(plain.get((s.site, s.epoch), 0), s.verified)
            else:
                acks.append(self.send_ack(s.site, s.epoch, s.verified, resend_from=s.resend_from,
                                          diverged_from=s.diverged_from))
        return acks + [self.send_ack(site, epoch, verified) for (site, epoch), verified in plain.items()]

    def _settle(self, conn, site: str, batch: dict, payload: bytes) -> Settled:
        epoch = batch["epoch"]
        conn.execute(LOCK_CURSOR, [site, epoch])
        (hwm,) = conn.execute("SELECT hwm FROM sync_inbox_cursor WHERE stream = ? AND epoch = ?",
                              [site, epoch]).fetchone()
        if batch["first_seq"] > hwm + 1:
            if self._park(conn, site, batch, payload):
                return Settled(site, epoch, hwm, ack=False)
            return Settled(site, epoch, hwm, resend_from=hwm + 1)  # too much parked already: resend in order
        result = self.store.receive_in(conn, site, epoch, batch["events"], self.apply)
        if result.diverged_from is not None:
            log.warning("%s epoch %s: seq %s differs from our ledger: the site's database was restored",
                        site, epoch, result.diverged_from)
            return Settled(site, epoch, result.verified_through, diverged_from=result.diverged_from)
        drained, verified = self._drain(conn, site, epoch, result.hwm, result.verified_through)
        return Settled(site, epoch, verified, applied=drained - hwm)

    def _park(self, conn, site: str, batch: dict, payload: bytes) -> bool:
        (count,) = conn.execute("SELECT COUNT(*) FROM sync_parked_batches WHERE stream = ?", [site]).fetchone()
        if count >= self.max_parked_per_stream:
            return False
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            text = data_json(batch)
        conn.execute(PARK, [site, batch["epoch"], batch["first_seq"], batch["last_seq"], text, self.clock(),
                            self.worker])
        return True

    def _drain(self, conn, site: str, epoch: int, hwm: int, verified: int) -> tuple[int, int]:
        """Apply the parked batches that now continue the high-water mark, lowest first; return (hwm, verified)."""
        while True:
            row = conn.execute(NEXT_PARKED, [site, epoch]).fetchone()
            if row is None or row[0] > hwm + 1:
                return hwm, verified
            first_seq, last_seq, text = row
            conn.execute("DELETE FROM sync_parked_batches WHERE stream = ? AND epoch = ? AND first_seq = ?",
                         [site, epoch, first_seq])
            if last_seq <= hwm:
                continue  # a batch resent meanwhile already brought these in
            more = self.store.receive_in(conn, site, epoch, decode_batch(text.encode())["events"], self.apply)
            if more.diverged_from is not None:  # the sender re-numbers and resends; nothing parked is valid now
                conn.execute("DELETE FROM sync_parked_batches WHERE stream = ? AND epoch = ?", [site, epoch])
                return hwm, verified
            hwm, verified = more.hwm, max(verified, more.verified_through)

    def expire_held(self) -> int:
        """Give up on gaps parked longer than the reorder timeout: drop what waits and ask for a resend.

        Only once every live worker has been idle since the batch was parked: under load the batch that fills
        the gap is often still queued in another worker, and asking for a resend then only adds load.
        If a saturated worker never catches up, the site's own resend timer still recovers a lost batch.
        """
        now = self.clock()
        if now < self._next_expiry_check:
            return 0
        self._next_expiry_check = now + min(1.0, self.reorder_timeout / 4)
        cutoff = min(now - self.reorder_timeout, self.all_caught_up_at() - DELIVERY_SLACK_S)
        with pooled_connection(self.store.path) as conn:  # a cheap read first: most checks find nothing
            stale = conn.execute("SELECT 1 FROM sync_parked_batches WHERE parked_at < ? LIMIT 1", [cutoff]).fetchone()
            if stale is None:
                return 0
        asks = []
        with self._transaction() as conn:
            stale = conn.execute("SELECT DISTINCT stream, epoch FROM sync_parked_batches WHERE parked_at < ?",
                                 [cutoff]).fetchall()
            for stream, epoch in stale:
                conn.execute("DELETE FROM sync_parked_batches WHERE stream = ? AND epoch = ?", [stream, epoch])
                row = conn.execute("SELECT hwm FROM sync_inbox_cursor WHERE stream = ? AND epoch = ?",
                                   [stream, epoch]).fetchone()
                asks.append((stream, epoch, row[0] if row else 0))
        for stream, epoch, hwm in asks:
            log.info("%s epoch %s: gap after seq %s not filled in %.0fs; asking for a resend", stream, epoch, hwm,
                     self.reorder_timeout)
            self.send_ack(stream, epoch, hwm, resend_from=hwm + 1)
        return len(asks)

    def parked_count(self) -> int:
        """Count the batches parked in the database (by every worker)."""
        with pooled_connection(self.store.path) as conn:
            return conn.execute("SELECT COUNT(*) FROM sync_parked_batches").fetchone()[0]
