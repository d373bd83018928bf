"""Copy the WAL back into the database from a thread of its own, so the busiest writer never does it in a commit.

SQLite checkpoints inside the COMMIT of whichever connection pushes the WAL past 1,000 pages: under a steady stream of
group commits that is the command writer, every few commits, and each time it copies those pages and flushes the
database file while holding the writer lock. The writer's connection turns that off (`take_over`); this thread runs
a PASSIVE checkpoint a few times a second instead, beside the writer, never blocking it. Other connections keep
SQLite's own checkpoints, which find little left to do.
"""
import logging
import sqlite3
import threading

from sync.os_threads import NamedThread

log = logging.getLogger(__name__)

EVERY_S = 0.25


class WalCheckpointer:
    """Run `PRAGMA wal_checkpoint(PASSIVE)` on db_path every `every` seconds until stopped."""

    def __init__(self, db_path: str, every: float = EVERY_S):
        self.db_path, self.every = db_path, every
        self._stopping = threading.Event()
        self._thread = NamedThread(target=self._run, name="wal-checkpointer", daemon=True)
        self._taken: sqlite3.Connection | None = None  # the writer's connection, once turned over
        self.checkpoints = self.frames = 0  # figures for people

    def take_over(self, conn: sqlite3.Connection) -> None:
        """Stop `conn` checkpointing in its own commits (again whenever the writer's connection is a new one)."""
        if conn is not self._taken:
            conn.execute("PRAGMA wal_autocheckpoint=0")
            self._taken = conn

    def start(self) -> "WalCheckpointer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        conn = sqlite3.connect(self.db_path, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            while not self._stopping.wait(self.every):
                try:
                    busy, _, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error as err:  # a locked or replaced file: try again next time
                    log.warning("WAL checkpoint failed (%s); retrying in %.2f s", err, self.every)
                    continue
                if not busy and copied > 0:
                    self.checkpoints, self.frames = self.checkpoints + 1, copied
        finally:
            conn.close()
