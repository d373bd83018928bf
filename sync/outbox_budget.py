"""Keep the outbox inside a disk budget: alarm near it, refuse new work at it, never drop an event."""
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from .sqlite_store import read_connection, write_transaction

log = logging.getLogger(__name__)

MB = 1024 * 1024
ROW_OVERHEAD = 64  # bytes per row beyond its text columns: keys, seq, index entries (a fair estimate)
OK, ALARM, FULL = "ok", "alarm", "full"


@dataclass
class OutboxBudget:
    """Measure the unacknowledged part of one outbox stream against a byte budget.

    Only unacked rows count: acked ones are kept for a while (see OutboxPruner) but may go. The
    measure is cached for `check_every` seconds so a busy API does not scan a large backlog per request.
    """

    db_path: str
    budget_bytes: int
    stream: str = "up"
    alarm_at: float = 0.70
    refuse_at: float = 0.95
    check_every: float = 2.0
    clock: Callable[[], float] = time.monotonic
    _measured_at: float | None = field(default=None, init=False, repr=False)
    _tally: tuple[int, int, int, int] | None = field(default=None, init=False, repr=False)
    _level: str = field(default=OK, init=False, repr=False)

    def unacked_bytes(self) -> int:
        now = self.clock()
        if self._measured_at is None or now - self._measured_at >= self.check_every:
            with read_connection(self.db_path) as conn:
                self._tally = self._recount(conn, self._tally)
            self._measured_at = now
        return self._tally[3]

    def _recount(self, conn, tally: tuple[int, int, int, int] | None) -> tuple[int, int, int, int]:
        """Return (epoch, acked_through, last_seq, unacked bytes), adding and taking away only what moved since
        `tally`: summing a backlog of a million rows every two seconds is what an edge cut off from the centre for a
        day must not do. Seqs only grow and acks only move forward within an epoch; a new epoch counts afresh."""
        cursor = conn.execute("SELECT epoch, acked_through FROM sync_outbox_cursor WHERE stream = ?",
                              [self.stream]).fetchone()
        if cursor is None:
            return (0, 0, 0, 0)
        epoch, acked = cursor
        (last,) = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM sync_outbox WHERE stream = ? AND epoch = ?",
                               [self.stream, epoch]).fetchone()
        if tally is None or tally[0] != epoch or acked < tally[1] or last < tally[2]:
            return (epoch, acked, last, self._bytes(conn, epoch, acked, last))
        _, was_acked, was_last, size = tally
        size += self._bytes(conn, epoch, max(was_last, acked), last)  # appended since, not yet acked
        size -= self._bytes(conn, epoch, was_acked, min(acked, was_last))  # counted before, acked since
        return (epoch, acked, last, size)

    def _bytes(self, conn, epoch: int, after_seq: int, through_seq: int) -> int:
        if through_seq <= after_seq:
            return 0
        (size,) = conn.execute(
            "SELECT COALESCE(SUM(length(data) + length(type) + length(event_id) + length(occurred_at)"
            " + length(recorded_at) + COALESCE(length(device_id), 0) + COALESCE(length(op_id), 0) + ?), 0)"
            " FROM sync_outbox WHERE stream = ? AND epoch = ? AND seq > ? AND seq <= ?",
            [ROW_OVERHEAD, self.stream, epoch, after_seq, through_seq]).fetchone()
        return size

    def level(self) -> str:
        """Return ok, alarm or full, logging each change of level once."""
        used = self.unacked_bytes() / self.budget_bytes
        level = FULL if used >= self.refuse_at else ALARM if used >= self.alarm_at else OK
        if level != self._level:
            report = {OK: log.info, ALARM: log.warning, FULL: log.error}[level]
            report("outbox %s at %.0f%% of its %.2f MB budget: %s", self.stream, used * 100,
                   self.budget_bytes / MB, MESSAGES[level])
            self._level = level
        return level

    def refuses_new_work(self) -> bool:
        return self.level() == FULL

    def status(self) -> dict:
        level = self.level()
        size = self.unacked_bytes()
        return {"outbox_bytes": size, "outbox_budget_bytes": self.budget_bytes,
                "outbox_used": round(size / self.budget_bytes, 4), "outbox_level": level,
                "outbox_message": MESSAGES[level]}


MESSAGES = {
    OK: "Outbox within its budget.",
    ALARM: "The link to the centre is behind: events are piling up on this site. Check the network and the "
           "broker; work goes on.",
    FULL: "Outbox full: new tasks are refused until the link to the centre is restored. Picks, shorts and "
          "shipments of started work still go through.",
}


@dataclass
class OutboxPruner:
    """Delete acknowledged outbox rows older than the retention, a bounded chunk at a time.

    The newest row always stays: the next seq is one past the highest row, so removing it would
    restart the numbering.
    """

    db_path: str
    keep_hours: float
    stream: str = "up"
    every: float = 60.0
    chunk: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _next_run: float = field(default=0.0, init=False, repr=False)

    def __call__(self) -> int:
        """Prune at most one chunk if the interval has passed; return how many rows went."""
        now = self.clock()
        if now < self._next_run:
            return 0
        self._next_run = now + self.every
        return self.prune()

    def prune(self) -> int:
        cutoff = (datetime.now(timezone.utc) - timedelta(hours=self.keep_hours)).isoformat(timespec="milliseconds")
        with write_transaction(self.db_path) as db:
            # rows of earlier epochs were all delivered; in the current one keep the unacked rows and
            # the last row, whose seq the next event follows
            cursor = db.execute(
                "DELETE FROM sync_outbox WHERE rowid IN (SELECT o.rowid FROM sync_outbox o"
                " JOIN sync_outbox_cursor c ON c.stream = o.stream WHERE o.stream = ? AND o.recorded_at < ?"
                " AND (o.epoch < c.epoch OR (o.epoch = c.epoch AND o.seq <= c.acked_through AND o.seq <"
                " (SELECT MAX(seq) FROM sync_outbox WHERE stream = o.stream AND epoch = c.epoch)))"
                " ORDER BY o.epoch, o.seq LIMIT ?)", [self.stream, cutoff, self.chunk])
            removed = cursor.rowcount
        if removed:
            log.info("pruned %s acknowledged outbox rows older than %s h", removed, self.keep_hours)
        return removed
