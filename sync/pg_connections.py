"""PostgreSQL connections shaped like the SQLite ones, so the stores and the centre run one set of SQL on both.

A `PgConnection` answers `execute(sql, params)` with `?` or `:name` placeholders (translated once per statement
text), returns rows readable by index and by column name like sqlite3.Row, and runs in autocommit mode so
that callers issue BEGIN, SAVEPOINT and COMMIT themselves exactly as they do on SQLite.
"""
import re
import threading
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus
from psycopg.types.string import StrDumperUnknown

from .sql_dialect import POSTGRES

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|\?|:[A-Za-z_]\w*|%")


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """Turn `?` and `:name` placeholders into psycopg's, leaving quoted text and `::` casts alone."""

    def placeholder(match: re.Match) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if token.startswith(":") and token != "::":
            return f"%({token[1:]})s"
        return token.replace("%", "%%")  # psycopg reads % even inside quoted text

    return _TOKEN.sub(placeholder, sql)


class PgRow(tuple):
    """A result row read by position or by column name, and convertible with dict(), like sqlite3.Row."""

    def __new__(cls, values, index: dict[str, int]):
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor):
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: PgRow(values, index)


class _NumericLoader(Loader):
    """Load NUMERIC (what SUM of BIGINT gives) as int when whole, else float, as SQLite would return it."""

    def load(self, data):
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class _BoolAsIntDumper(Dumper):
    """Store Python booleans as 0/1 in INTEGER columns, as SQLite does."""

    oid = psycopg.adapters.types["int4"].oid

    def dump(self, obj):
        return b"1" if obj else b"0"


class _NulFreeStrDumper(StrDumperUnknown):
    """Store a NUL character as U+FFFD, as undecodable bytes are: PostgreSQL text cannot hold NUL, SQLite can."""

    def dump(self, obj: str):
        return super().dump(obj.replace("\x00", "\ufffd") if "\x00" in obj else obj)


class PgConnection:
    """One psycopg connection in autocommit mode with SQLite's execute() shape."""

    dialect = POSTGRES

    def __init__(self, url: str):
        self.url = url
        self.raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        self.raw.adapters.register_loader("numeric", _NumericLoader)
        self.raw.adapters.register_dumper(bool, _BoolAsIntDumper)
        self.raw.adapters.register_dumper(str, _NulFreeStrDumper)

    def execute(self, sql: str, params=None):
        if not params:
            return self.raw.execute(sql)
        return self.raw.execute(translate(sql), params)

    def executemany(self, sql: str, rows):
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), list(rows))
        return cursor

    def executescript(self, sql: str) -> None:
        self.raw.execute(sql)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    @property
    def broken(self) -> bool:
        return self.raw.closed or self.raw.info.transaction_status == TransactionStatus.UNKNOWN

    def close(self) -> None:
        self.raw.close()

    def __del__(self):
        # a pooled connection dies with its thread: close it, as a SQLite handle closes when collected
        raw = getattr(self, "raw", None)
        if raw is not None and not raw.closed:
            raw.close()


class PgDatabase:
    """What a write transaction yields on PostgreSQL: the sqlite-utils Database calls our stores make."""

    def __init__(self, conn: PgConnection):
        self.conn = conn
        self.locks: set[int] = set()  # advisory locks this transaction holds (a savepoint rollback frees its own)

    def execute(self, sql: str, params=None):
        return self.conn.execute(sql, params)

    def executescript(self, sql: str) -> None:
        self.conn.executescript(sql)

    @contextmanager
    def atomic(self):
        """Run the block in a savepoint: its effects are undone if it raises, the transaction goes on."""
        self.conn.execute("SAVEPOINT pg_atomic")
        locks = set(self.locks)
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK TO SAVEPOINT pg_atomic")
            self.conn.execute("RELEASE SAVEPOINT pg_atomic")
            self.locks = locks
            raise
        self.conn.execute("RELEASE SAVEPOINT pg_atomic")


_pooled = threading.local()
POOL_URLS_PER_THREAD = 4


@contextmanager
def pg_pooled_connection(url: str):
    """Yield this thread's connection to url (opened once); a nested use gets a connection of its own."""
    conns = _pooled.__dict__.setdefault("conns", {})
    entry = conns.get(url)
    if entry is not None and entry[1]:
        conn = PgConnection(url)
        try:
            yield conn
        finally:
            conn.close()
        return
    if entry is None or entry[0].broken:
        if entry is not None:
            entry[0].close()
        entry = conns[url] = [PgConnection(url), False]
        if len(conns) > POOL_URLS_PER_THREAD:  # tests open many databases: keep only the most recent few
            oldest = next(iter(conns))
            if not conns[oldest][1]:
                conns.pop(oldest)[0].close()
    entry[1] = True
    try:
        yield entry[0]
    finally:
        entry[1] = False
        if not entry[0].broken and entry[0].in_transaction:  # the user failed mid-transaction: leave it clean
            entry[0].execute("ROLLBACK")


@contextmanager
def pg_transaction(url: str):
    """Yield this thread's pooled connection inside BEGIN; commit on success, else roll back."""
    with pg_pooled_connection(url) as conn:
        conn.execute("BEGIN")
        try:
            yield conn
            conn.execute("COMMIT")
        finally:
            if not conn.broken and conn.in_transaction:
                conn.execute("ROLLBACK")


def close_pooled(url: str) -> None:
    """Close this thread's pooled connection to url (tests drop their databases afterwards)."""
    entry = _pooled.__dict__.get("conns", {}).pop(url, None)
    if entry is not None:
        entry[0].close()
