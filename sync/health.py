"""Read how a sync stream stands from SQLite: lag in events and seconds, depth, last ack, dead letters."""
import json
import sqlite3
from datetime import datetime, timezone


def seconds_since(iso: str | None, now: datetime | None = None) -> float:
    """Return the seconds from an ISO-8601 UTC time to now (0 when there is none)."""
    if not iso:
        return 0.0
    now = now or datetime.now(timezone.utc)
    return max(0.0, round((now - datetime.fromisoformat(iso)).total_seconds(), 1))


def outbox_health(conn: sqlite3.Connection, stream: str) -> dict:
    """Say how far the receiver is behind this outbox stream: lag in events and seconds, last ack."""
    cursor = conn.execute("SELECT epoch, acked_through, acked_at FROM sync_outbox_cursor WHERE stream = ?",
                          [stream]).fetchone()
    epoch, acked, acked_at = (cursor["epoch"], cursor["acked_through"], cursor["acked_at"]) if cursor else (1, 0, None)
    (last_seq,) = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM sync_outbox WHERE stream = ? AND epoch = ?",
                               [stream, epoch]).fetchone()
    oldest = conn.execute("SELECT recorded_at FROM sync_outbox WHERE stream = ? AND epoch = ? AND seq > ?"
                          " ORDER BY seq LIMIT 1", [stream, epoch, acked]).fetchone()
    oldest_at = oldest["recorded_at"] if oldest else None
    lag = max(0, last_seq - acked)
    return {"epoch": epoch, "last_seq": last_seq, "acked_through_seq": acked, "lag_events": lag,
            "lag_seconds": seconds_since(oldest_at), "outbox_depth": lag, "oldest_unacked_at": oldest_at,
            "last_ack_at": acked_at}


def inbox_health(conn: sqlite3.Connection, stream: str) -> dict:
    """Say what this receiver holds of a stream: its current epoch, high-water mark and last arrival."""
    row = conn.execute("SELECT epoch, hwm, updated_at FROM sync_inbox_cursor WHERE stream = ?"
                       " ORDER BY epoch DESC LIMIT 1", [stream]).fetchone()
    return {"epoch": row["epoch"] if row else None, "received_through_seq": row["hwm"] if row else 0,
            "last_received_at": row["updated_at"] if row else None}


def dead_letter_counts(conn: sqlite3.Connection) -> dict:
    """Count dead letters, all of them and those still open."""
    row = conn.execute("SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'open') FROM sync_dead_letters").fetchone()
    return {"dead_letters": row[0], "dead_letters_open": row[1]}


def site_up_health(conn: sqlite3.Connection, site: str, last_state: str | None) -> dict:
    """Compare what a site last said it has sent (its retained state) with what the centre holds."""
    held = inbox_health(conn, site)
    state = json.loads(last_state) if last_state else {}
    reported, epoch = state.get("last_seq"), state.get("epoch")
    lag = None
    if reported is not None and epoch == held["epoch"]:
        lag = max(0, reported - held["received_through_seq"])
    elif reported is not None and held["epoch"] is None:
        lag = reported
    return {**held, "site_epoch": epoch, "site_last_seq": reported, "lag_events": lag,
            "site_outbox_depth": state.get("outbox_depth")}
