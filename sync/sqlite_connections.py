"""SQLite connections for every store and server: WAL and FULL sync, pooled per thread, one writer at a time.

Each function also takes a `postgresql://` URL (the centre at scale) and then hands out the PostgreSQL connections of
sync/pg_connections.py, which take the same SQL; there the database itself serialises writers with row locks.
"""
import fcntl
import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlite_utils import Database

from .sql_dialect import is_postgres_url, sqlite_path


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


WAL_SIZE_LIMIT = 64 * 1024 * 1024  # journal_size_limit: see connect()


def connect(path: str) -> sqlite3.Connection:
    """Open a connection in autocommit mode (we issue BEGIN IMMEDIATE ourselves), WAL on."""
    if is_postgres_url(path):
        from .pg_connections import PgConnection
        return PgConnection(path)
    conn = sqlite3.connect(sqlite_path(path), timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    # What sqlite-utils' Database() sets, set once: setting a flag pragma expires every prepared statement of the
    # connection, so wrapping it on each transaction (as_database) would recompile every statement each time.
    conn.execute("PRAGMA recursive_triggers=on")
    # Savepoint journals in memory: a group commit's savepoint copies each page a job first changes, and past
    # 64 KiB SQLite spills that journal to a temporary file, a write() per page inside the writer lock.
    conn.execute("PRAGMA temp_store=MEMORY")
    # SQLite keeps a WAL file at the largest size it ever reached (reused, not shrunk): a busy shift or a bulk load
    # left hundreds of MB on the edge's disk for good. With a limit, the first write after a complete checkpoint
    # cuts it back to this size.
    conn.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
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
    if is_postgres_url(path):
        from .pg_connections import pg_pooled_connection
        with pg_pooled_connection(path) as conn:
            yield conn
        return
    path = sqlite_path(path)
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


_writer_locks: dict[str, tuple[threading.RLock, int]] = {}
_writer_locks_guard = threading.Lock()


_inherited: list = []


def _forget_parent_writer_locks() -> None:
    # flock belongs to the open file, which a fork shares: a worker forked after its parent wrote would "hold"
    # the lock together with its siblings, leaving them to SQLite's sleep-and-retry. Each process opens its own,
    # and its own connections too (SQLite handles must not cross a fork; kept, not closed, so nothing is flushed).
    global _writer_locks, _writer_locks_guard
    _writer_locks, _writer_locks_guard = {}, threading.Lock()
    _inherited.append(_pooled.__dict__.pop("conns", None))
    _pooled.__dict__.pop("lock_depth", None)


os.register_at_fork(after_in_child=_forget_parent_writer_locks)


@contextmanager
def writer_lock(path: str):
    """Hold the database's writer lock: threads and processes queue here, in order, instead of in SQLite.

    SQLite makes a second writer sleep and retry (1, 2, 5 … 100 ms), which turns a few concurrent requests into
    long latency tails. A thread lock plus an flock on a file next to the database hands the lock over at once.
    PostgreSQL needs none of this: its writers wait on the rows they lock.
    """
    if is_postgres_url(path):
        yield
        return
    path = sqlite_path(path)
    with _writer_locks_guard:
        if path not in _writer_locks:
            _writer_locks[path] = (threading.RLock(), os.open(path + "-writer.lock", os.O_RDWR | os.O_CREAT, 0o644))
        thread_lock, fd = _writer_locks[path]
    depth = _pooled.__dict__.setdefault("lock_depth", {})
    with thread_lock:
        outermost = not depth.get(path)
        if outermost:
            fcntl.flock(fd, fcntl.LOCK_EX)
        depth[path] = depth.get(path, 0) + 1
        try:
            yield
        finally:
            depth[path] -= 1
            if outermost:
                fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def write_transaction(path: str):
    """Yield a sqlite-utils Database inside BEGIN IMMEDIATE; commit on success, else roll back."""
    if is_postgres_url(path):
        from .pg_connections import PgDatabase, pg_transaction
        with pg_transaction(path) as conn:
            yield PgDatabase(conn)
        return
    conn = connect(path)
    try:
        with writer_lock(path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Database(conn)
                conn.execute("COMMIT")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
    finally:
        conn.close()


@contextmanager
def read_connection(path: str):
    if is_postgres_url(path):  # a pooled connection: opening one costs more than most reads
        with pooled_connection(path) as conn:
            yield conn
        return
    conn = connect(path)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def pooled_write(path: str, synchronous: str = "FULL"):
    """Yield this thread's pooled connection inside BEGIN IMMEDIATE; commit on success, else roll back."""
    if is_postgres_url(path):
        from .pg_connections import pg_transaction
        with pg_transaction(path) as conn:
            if synchronous != "FULL":  # the same trade on PostgreSQL: commit without waiting for the WAL flush
                conn.execute("SET LOCAL synchronous_commit = off")
            yield conn
        return
    with pooled_connection(path) as conn:
        if synchronous != "FULL":
            conn.execute(f"PRAGMA synchronous={synchronous}")
        try:
            with writer_lock(path):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
        finally:
            if synchronous != "FULL":
                conn.execute("PRAGMA synchronous=FULL")


def as_database(conn):
    """Wrap a connection from connect() as the database object write paths take (sqlite-utils on SQLite)."""
    if is_postgres_url(getattr(conn, "url", "")):
        from .pg_connections import PgDatabase
        return PgDatabase(conn)
    return Database(conn, recursive_triggers=False)  # connect() set it once; setting it again expires statements
