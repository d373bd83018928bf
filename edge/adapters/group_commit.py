"""Group commit: writes waiting for the database writer share one transaction and one fsync.

A synchronous (FULL) commit costs a disk flush, and only one writer runs at a time, so under load requests queue
for the writer lock and each pays for its own flush. Here the first waiting thread becomes the leader: it takes
the writer lock once, applies every queued job in order, each inside its own savepoint (all-or-nothing, and later
jobs see earlier jobs' writes, as if they had run one after another), commits once, and only then hands every
thread its answer. A job that fails is rolled back to its savepoint and gets its own error; the others commit.
"""
import threading
from typing import Callable, TypeVar

from sqlite_utils import Database

from sync.sqlite_store import as_database, pooled_connection, writer_lock

T = TypeVar("T")
MAX_BATCH = 64  # bounds how long the last job of a batch waits for the first


class Slot:
    __slots__ = ("job", "result", "error", "done")

    def __init__(self, job: Callable[[Database], object]):
        self.job, self.result, self.error, self.done = job, None, None, False


class GroupCommit:
    """Run jobs `job(db)` against db_path in shared write transactions; each returns only after its commit."""

    def __init__(self, db_path: str, on_commit: Callable[[], None] = lambda: None, max_batch: int = MAX_BATCH):
        self.db_path, self.on_commit, self.max_batch = db_path, on_commit, max_batch
        self._queue: list[Slot] = []
        self._queue_guard = threading.Lock()
        # Guards `_leading`; waiters sleep on it. A committed job's thread wakes at once (notify_all after each
        # batch) instead of queueing for a leader lock that the next batch's leader holds through its own commit.
        self._turn = threading.Condition()
        self._leading = False  # one batch at a time in this process; writer_lock orders processes

    def run(self, job: Callable[[Database], T]) -> T:
        """Queue the job, lead a batch if nobody else is, and return its result once it is committed."""
        slot = Slot(job)
        with self._queue_guard:
            self._queue.append(slot)
        while True:
            with self._turn:
                while self._leading and not slot.done:
                    self._turn.wait()
                if slot.done:  # a leader took it in its batch
                    break
                self._leading = True
            try:
                self._lead()
            finally:
                with self._turn:
                    self._leading = False
                    self._turn.notify_all()
        if slot.error is not None:
            raise slot.error
        return slot.result

    def _lead(self) -> None:
        def take() -> list[Slot]:
            with self._queue_guard:  # taken once the lock is ours: whoever queued meanwhile comes along
                batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
            return batch

        def take_all_on_failure() -> list[Slot]:  # failed before taking a batch: the waiting ones hear it now
            with self._queue_guard:
                batch, self._queue = self._queue, []
            return batch

        batch, committed = commit_batch(self.db_path, take, take_all_on_failure)
        try:
            if committed and batch:
                self.on_commit()
        finally:
            for slot in batch:
                slot.done = True


def commit_batch(db_path: str, take: Callable[[], list[Slot]],
                 take_on_failure: Callable[[], list[Slot]] = list,
                 prepare: Callable[[object], None] = lambda conn: None) -> tuple[list[Slot], bool]:
    """Take the writer lock, run the slots `take()` gives in one transaction (a savepoint each), commit once.

    `prepare(conn)` sees the connection first (the command writer turns its WAL checkpoints over there).

    Each slot gets its result or its own error; if the transaction itself fails, every slot gets that error.
    Returns the slots run (those of take_on_failure() when nothing could start) and whether the commit happened.
    """
    batch: list[Slot] = []
    try:
        with pooled_connection(db_path) as conn, writer_lock(db_path):
            prepare(conn)
            batch = take()
            conn.execute("BEGIN IMMEDIATE")
            try:
                db = as_database(conn)
                for slot in batch:
                    try:
                        slot.result = slot.job(db)
                    except Exception as err:  # noqa: BLE001 - handed to the slot's own caller to raise
                        slot.error = err
                conn.execute("COMMIT")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
    except Exception as err:  # noqa: BLE001 - nothing of the batch was kept: every request hears why
        if not batch:
            batch = take_on_failure()
        for slot in batch:
            slot.result, slot.error = None, err
        return batch, False
    return batch, True
