"""Keep the claimed pick batch on the device, so the whole walk can be done with no Wi-Fi.

Like the receiving cache, the cached copy remembers the last op answered before it was downloaded (synced_seq):
the edge's figures include every op up to there, and the device's own later ops (read from the one ops outbox)
are added on top. So local progress is written only with the op itself, in one transaction.
"""
import json
import sqlite3
from contextlib import closing

SCHEMA = """
CREATE TABLE IF NOT EXISTS batch_cache (id INTEGER PRIMARY KEY CHECK (id = 1), batch_id TEXT NOT NULL,
    data TEXT NOT NULL, synced_seq INTEGER NOT NULL, cached_at TEXT NOT NULL);
"""


class BatchCache:
    """Open the batch cache in the device database (one short connection per call)."""

    def __init__(self, path: str):
        self.path = path
        with closing(sqlite3.connect(path, timeout=10)) as conn:
            conn.executescript(SCHEMA)

    def _conn(self):
        return closing(sqlite3.connect(self.path, timeout=10, isolation_level=None))

    def save(self, batch: dict, now: str) -> None:
        """Keep this batch as the one on the device, with the op seq its figures include."""
        with self._conn() as conn:
            conn.execute("BEGIN IMMEDIATE")
            (seq,) = conn.execute("SELECT COALESCE(MAX(device_seq), 0) FROM ops_outbox WHERE status != 'pending'"
                                  ).fetchone()
            conn.execute("INSERT OR REPLACE INTO batch_cache VALUES (1, ?, ?, ?, ?)",
                         (batch["batch_id"], json.dumps(batch), seq, now))
            conn.execute("COMMIT")

    def current(self) -> tuple[dict, int] | None:
        """Return the batch on the device and the op seq its figures include, or None."""
        with self._conn() as conn:
            row = conn.execute("SELECT data, synced_seq FROM batch_cache WHERE id = 1").fetchone()
        return (json.loads(row[0]), row[1]) if row else None

    def clear(self) -> None:
        with self._conn() as conn:
            conn.execute("DELETE FROM batch_cache")
