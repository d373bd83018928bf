"""The few SQL fragments SQLite and PostgreSQL spell differently; every other statement is written once.

Statements use `?` (or `:name`) placeholders, `INSERT ... ON CONFLICT`, `RETURNING` and `COUNT(*) FILTER (...)`,
which both databases accept; the PostgreSQL connection translates the placeholders. What is left is here.
"""
from dataclasses import dataclass

# Transaction-scoped advisory lock taken by the centre's units of work on PostgreSQL (see docs/central-postgres.md).
CENTRAL_WRITER_LOCK = 7_262_001


@dataclass(frozen=True)
class Dialect:
    """Spell a fragment for one database."""

    name: str

    @property
    def postgres(self) -> bool:
        return self.name == "postgresql"

    @property
    def for_update(self) -> str:
        """Lock the selected rows until commit (SQLite's writer lock already covers the whole database)."""
        return " FOR UPDATE" if self.postgres else ""

    @property
    def rowid(self) -> str:
        """The column giving insertion order (PostgreSQL tables that need it carry an identity column `id`)."""
        return "id" if self.postgres else "rowid"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.postgres else f"MAX({a}, {b})"

    def json_text(self, column: str, key: str) -> str:
        """A JSON text column's top-level field, as text (keys are code constants, never user input)."""
        return f"({column}::json ->> '{key}')" if self.postgres else f"json_extract({column}, '$.{key}')"

    def json_number(self, column: str, key: str) -> str:
        """A JSON text column's top-level numeric field."""
        return f"({column}::json ->> '{key}')::bigint" if self.postgres else f"json_extract({column}, '$.{key}')"

    def in_json_list(self, expr: str, placeholder: str = "?") -> str:
        """`expr` is one of the values of a JSON array passed as one parameter."""
        if self.postgres:
            return f"{expr} IN (SELECT jsonb_array_elements_text(CAST({placeholder} AS jsonb)))"
        return f"{expr} IN (SELECT value FROM json_each({placeholder}))"

    def contains(self, haystack: str, needle: str) -> str:
        """`needle` occurs in `haystack` (no LIKE wildcards to escape)."""
        return f"strpos({haystack}, {needle}) > 0" if self.postgres else f"instr({haystack}, {needle}) > 0"

    def distinct_list(self, expr: str) -> str:
        """The distinct values of `expr` in a group, joined by commas."""
        return f"string_agg(DISTINCT {expr}, ',')" if self.postgres else f"GROUP_CONCAT(DISTINCT {expr})"


SQLITE = Dialect("sqlite")
POSTGRES = Dialect("postgresql")


def is_postgres_url(url: str) -> bool:
    """Say whether a database setting names a PostgreSQL server rather than a SQLite file."""
    return isinstance(url, str) and url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> str:
    """Return the file of a SQLite setting: a plain path or a sqlite:/// URL."""
    return url[len("sqlite:///"):] if url.startswith("sqlite:///") else url


def dialect_of(conn_or_db) -> Dialect:
    """Return the dialect of a connection, or of a sqlite-utils/PostgreSQL database wrapper."""
    conn = getattr(conn_or_db, "conn", conn_or_db)
    return getattr(conn, "dialect", SQLITE)
