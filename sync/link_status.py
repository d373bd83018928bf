"""Share a sync endpoint's live link state through SQLite with the server processes that do not own it.

When a site's HTTP API runs in several worker processes, one agent process owns the sync endpoint. The workers
cannot nudge it directly, so the agent watches the database for commits (`PRAGMA data_version`), and it publishes
its link state (connected, centre online, login refused) for the workers' health answers.
"""
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .health import dead_letter_counts, outbox_health, seconds_since
from .sqlite_store import pooled_connection, utc_now, write_transaction

STALE_AFTER_S = 5.0


def publish_link_status(db_path: str, stream: str, health: dict) -> None:
    """Store the owner's live view of the link (called about once a second by the agent)."""
    with write_transaction(db_path) as db:
        db.execute("INSERT INTO sync_link_status (stream, connected, peer_online, auth_error, updated_at)"
                   " VALUES (?,?,?,?,?) ON CONFLICT (stream) DO UPDATE SET connected = excluded.connected,"
                   " peer_online = excluded.peer_online, auth_error = excluded.auth_error,"
                   " updated_at = excluded.updated_at",
                   [stream, int(bool(health.get("connected"))), int(bool(health.get("peer_online"))),
                    health.get("auth_error"), utc_now()])


def read_link_status(conn: sqlite3.Connection, stream: str, now: datetime | None = None) -> dict:
    """Return the link state the agent last published; a silent agent reads as disconnected."""
    row = conn.execute("SELECT connected, peer_online, auth_error, updated_at FROM sync_link_status"
                       " WHERE stream = ?", [stream]).fetchone()
    if row is None or seconds_since(row[3], now or datetime.now(timezone.utc)) > STALE_AFTER_S:
        return {"connected": False, "peer_online": False, "central_online": False, "auth_error": None,
                "agent_running": False}
    return {"connected": bool(row[0]), "peer_online": bool(row[1]), "central_online": bool(row[1]),
            "auth_error": row[2], "agent_running": True}


class SharedSiteSync:
    """What a worker process gives its app as SYNC: commits are seen by the agent, health is read from SQLite."""

    def __init__(self, db_path: str, stream: str = "up"):
        self.db_path, self.stream = db_path, stream

    def nudge(self) -> None:
        """Do nothing: the agent notices every commit by itself."""

    def health(self) -> dict:
        with pooled_connection(self.db_path) as conn:
            link = read_link_status(conn, self.stream)
            return {**link, **outbox_health(conn, self.stream), **dead_letter_counts(conn)}


@dataclass
class CommitWatcher:
    """A pump for the agent's sync thread: nudge the endpoint when another process committed to the database."""

    db_path: str
    nudge: callable
    _conn: sqlite3.Connection | None = field(default=None, init=False, repr=False)
    _version: int | None = field(default=None, init=False, repr=False)

    def __call__(self) -> bool:
        if self._conn is None:
            self._conn = sqlite3.connect(self.db_path, check_same_thread=False)
        (version,) = self._conn.execute("PRAGMA data_version").fetchone()
        changed = self._version is not None and version != self._version
        self._version = version
        if changed:
            self.nudge()
        return changed
