"""Keep downloaded receipts and putaway tasks on the device, so receiving and putaway work with no Wi-Fi.

Each cached copy remembers the last op sent before it was downloaded (synced_seq): the edge's figures already
include every op up to there, and the device adds its own later ops (read from the ops outbox) on top. So the
local progress is always derived from the one outbox, written in one transaction with each confirmation.
"""
import json
import sqlite3
from contextlib import closing

SCHEMA = """
CREATE TABLE IF NOT EXISTS receiving_cache (kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,
    synced_seq INTEGER NOT NULL, cached_at TEXT NOT NULL, PRIMARY KEY (kind, key));
"""
RECEIPT, PUTAWAY = "receipt", "putaway"


class ReceivingCache:
    """Open the cache tables in the device database (one short connection per call)."""

    def __init__(self, path: str):
        self.path = path
        with closing(sqlite3.connect(path, timeout=10)) as conn:
            conn.executescript(SCHEMA)

    def _conn(self):
        return closing(sqlite3.connect(self.path, timeout=10, isolation_level=None))

    def synced_seq(self) -> int:
        """Return the last op the edge has answered (its figures include it)."""
        with self._conn() as conn:
            row = conn.execute("SELECT COALESCE(MAX(device_seq), 0) FROM ops_outbox WHERE status != 'pending'"
                               ).fetchone()
        return row[0]

    def replace(self, kind: str, items: list[dict], key: str, now: str, keep: set[str] = frozenset()) -> None:
        """Cache a fresh download of one kind; cached entries not in it are dropped unless kept."""
        seq = self.synced_seq()
        with self._conn() as conn:
            conn.execute("BEGIN IMMEDIATE")
            marks = ",".join("?" for _ in keep)
            conn.execute(f"DELETE FROM receiving_cache WHERE kind = ? AND key NOT IN ({marks})", (kind, *keep))
            conn.executemany("INSERT OR REPLACE INTO receiving_cache VALUES (?, ?, ?, ?, ?)",
                             [(kind, item[key], json.dumps(item), seq, now) for item in items])
            conn.execute("COMMIT")

    def put(self, kind: str, key: str, item: dict, now: str) -> None:
        with self._conn() as conn:
            conn.execute("INSERT OR REPLACE INTO receiving_cache VALUES (?, ?, ?, ?, ?)",
                         (kind, key, json.dumps(item), self.synced_seq(), now))

    def get(self, kind: str, key: str) -> tuple[dict, int] | None:
        """Return a cached item and the op seq its figures include, or None."""
        with self._conn() as conn:
            row = conn.execute("SELECT data, synced_seq FROM receiving_cache WHERE kind = ? AND key = ?",
                               (kind, key)).fetchone()
        return (json.loads(row[0]), row[1]) if row else None

    def all(self, kind: str) -> list[tuple[dict, int]]:
        with self._conn() as conn:
            rows = conn.execute("SELECT data, synced_seq FROM receiving_cache WHERE kind = ? ORDER BY key",
                                (kind,)).fetchall()
        return [(json.loads(data), seq) for data, seq in rows]
