"""The centre's test databases on PostgreSQL: one per session, emptied before each test; a test's own tables."""


class ResettableDatabase:
    """The session's database, emptied before each test: as good as a fresh one, and quicker to get than a copy
    of a template (CREATE DATABASE waits for a checkpoint).

    Rows are deleted (foreign keys off for the moment), identities restart at 1, and tables a test created
    beyond the centre's schema are dropped. The ledger's partitions stay: they hold no rows either.
    """

    def __init__(self, url: str):
        from central.adapters.migrations import migrate
        from sync.sqlite_store import pooled_connection

        self.url = url
        migrate(url)
        with pooled_connection(url) as conn:
            self.tables = {r[0] for r in conn.execute(USER_TABLES)}

    def reset(self) -> str:
        from sync.sqlite_store import pooled_connection

        with pooled_connection(self.url) as conn:
            tables = [r[0] for r in conn.execute(USER_TABLES)]
            sequences = [r[0] for r in conn.execute("SELECT relname FROM pg_class WHERE relkind = 'S'"
                                                    " AND relnamespace = 'public'::regnamespace")]
            # a test that left a transaction open fails the next one's setup here, rather than hanging it
            script = ["SET lock_timeout = '20s'", "SET session_replication_role = replica"]
            script += [f'DROP TABLE "{t}" CASCADE' for t in tables if t not in self.tables]
            script += [f'DELETE FROM "{t}"' for t in tables if t in self.tables and t != "pg_migrations"]
            script += [f"SELECT setval('\"{s}\"', 1, false)" for s in sequences]
            script += ["SET session_replication_role = DEFAULT", "SET lock_timeout = 0"]
            conn.executescript(";\n".join(script))
        return self.url


USER_TABLES = ("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')"
               " AND NOT relispartition ORDER BY relname")


def add_tables(url: str, ddl: str) -> str:
    """Create a test's own tables (plain SQL both databases take) in the hub's database; return the url."""
    from sync.sqlite_store import connect

    conn = connect(url)
    try:
        conn.executescript(ddl)
    finally:
        conn.close()
    return url


def table_names(conn) -> list[str]:
    """Name every table of a test database, on SQLite or PostgreSQL (the ledger's partitions count as one)."""
    from sync.sql_dialect import dialect_of

    sqlite = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    return [row[0] for row in conn.execute(USER_TABLES if dialect_of(conn).postgres else sqlite)]
