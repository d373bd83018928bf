"""A leader lease in the shared database, so exactly one of several ingest workers does the single-owner work.

The SQL is portable (`?` placeholders, `INSERT ... ON CONFLICT`, no SQLite-only functions): the same statements
run on PostgreSQL. Times are wall-clock seconds from the workers' clocks, so workers on several machines need
synchronised clocks (NTP) and a lease several times longer than any skew.
"""
import time
from contextlib import AbstractContextManager
from typing import Callable

from .sqlite_store import pooled_connection, pooled_write, utc_now

Transaction = Callable[[], AbstractContextManager]

CLAIM = ("INSERT INTO sync_leases (name, holder, term, expires_at, renewed_at) VALUES (?, ?, 1, ?, ?)"
         " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,"
         " renewed_at = excluded.renewed_at,"
         " term = CASE WHEN sync_leases.holder = excluded.holder THEN sync_leases.term ELSE sync_leases.term + 1 END"
         " WHERE sync_leases.holder = excluded.holder OR sync_leases.expires_at < ?")

BEAT = ("INSERT INTO sync_ingest_workers (worker, beat_at, connected, leader, applied, parked, started_at,"
        " caught_up_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (worker) DO UPDATE SET beat_at = excluded.beat_at,"
        " connected = excluded.connected, leader = excluded.leader, applied = excluded.applied,"
        " parked = excluded.parked, caught_up_at = excluded.caught_up_at")


class LeaderLease:
    """Hold or wait for a named lease: renew it while alive, let another holder claim it once it expires.

    Two holders can overlap for a moment (a stalled leader that has not yet noticed its lease expired), so the
    work behind the lease must stay safe when done twice: command batches and acks are idempotent at the edge.
    """

    def __init__(self, db_path: str, holder: str, *, name: str = "hub-leader", ttl: float = 5.0,
                 clock: Callable[[], float] = time.time, transaction: Transaction | None = None):
        self.db_path, self.holder, self.name, self.ttl, self.clock = db_path, holder, name, ttl, clock
        self._transaction = transaction or (lambda: pooled_write(db_path))
        self.term: int | None = None

    def renew(self) -> bool:
        """Claim the lease if it is free or expired, extend it if ours; return whether we hold it now."""
        now = self.clock()
        with self._transaction() as conn:
            conn.execute(CLAIM, [self.name, self.holder, now + self.ttl, utc_now(), now])
            holder, term = conn.execute("SELECT holder, term FROM sync_leases WHERE name = ?", [self.name]).fetchone()
        self.term = term if holder == self.holder else None
        return self.term is not None

    def release(self) -> None:
        """Give the lease up at once (clean shutdown), so another worker need not wait for it to expire."""
        with self._transaction() as conn:
            conn.execute("UPDATE sync_leases SET expires_at = 0 WHERE name = ? AND holder = ?",
                         [self.name, self.holder])
        self.term = None

    def leave(self) -> None:
        """Take this worker off the list of live workers (clean shutdown)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM sync_ingest_workers WHERE worker = ?", [self.holder])

    def beat(self, connected: bool, applied: int, parked: int, started_at: str, caught_up_at: float) -> None:
        """Record that this worker is alive, what it did, and when it last had nothing left to settle."""
        with self._transaction() as conn:
            conn.execute(BEAT, [self.holder, self.clock(), int(connected), int(self.term is not None), applied, parked,
                                started_at, caught_up_at])

    def all_caught_up_at(self) -> float:
        """Return the latest time before which every live worker had settled all it received (inf: none beat)."""
        with pooled_connection(self.db_path) as conn:
            (at,) = conn.execute("SELECT MIN(caught_up_at) FROM sync_ingest_workers WHERE beat_at >= ?",
                                 [self.clock() - self.ttl]).fetchone()
        return float("inf") if at is None else at


def ingest_workers(db_path: str, stale_after: float = 10.0, now: float | None = None) -> list[dict]:
    """List the ingest workers that beat recently, with which one leads."""
    now = time.time() if now is None else now
    with pooled_connection(db_path) as conn:
        rows = conn.execute("SELECT worker, beat_at, connected, leader, applied, parked, started_at"
                            " FROM sync_ingest_workers WHERE beat_at >= ? ORDER BY worker", [now - stale_after])
        return [{"worker": r[0], "seconds_since_beat": round(max(0.0, now - r[1]), 1), "connected": bool(r[2]),
                 "leader": bool(r[3]), "applied": r[4], "parked": r[5], "started_at": r[6]} for r in rows]
