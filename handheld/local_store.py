"""Keep the device's state in SQLite: session, cached tasks, the ops outbox and sync state.

Every confirmation changes the cached task and appends its op to ops_outbox in ONE transaction, so
closing the app (or losing power) can never keep one without the other.
"""
import json
import sqlite3
import uuid
from contextlib import closing, contextmanager
from dataclasses import dataclass

from .pin import pin_hash

PENDING, SENT, REFUSED = "pending", "sent", "refused"
SCHEMA = """
CREATE TABLE IF NOT EXISTS session (id INTEGER PRIMARY KEY CHECK (id = 1), badge TEXT NOT NULL, name TEXT NOT NULL,
    token TEXT NOT NULL, pin_hash TEXT NOT NULL, signed_in_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (task_id TEXT PRIMARY KEY, data TEXT NOT NULL, step TEXT NOT NULL,
    picked_qty INTEGER NOT NULL, cached_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ops_outbox (device_seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL, path TEXT NOT NULL, payload TEXT NOT NULL, task_id TEXT, created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', reason TEXT, message TEXT, answer TEXT, seen_at TEXT);
CREATE TABLE IF NOT EXISTS sync_state (id INTEGER PRIMARY KEY CHECK (id = 1), last_synced_at TEXT,
    last_error TEXT);
INSERT OR IGNORE INTO sync_state (id) VALUES (1);
CREATE TABLE IF NOT EXISTS device (id INTEGER PRIMARY KEY CHECK (id = 1), edge_url TEXT NOT NULL,
    device_id TEXT NOT NULL, site_id TEXT NOT NULL, device_token TEXT NOT NULL, enrolled_at TEXT NOT NULL);
"""
WORKING = ("scan_location", "scan_item")


@dataclass(frozen=True)
class QueuedOp:
    """One confirmation waiting for (or refused by) the edge."""

    device_seq: int
    op_id: str
    type: str
    path: str
    payload: dict
    task_id: str | None
    created_at: str
    status: str
    reason: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class CachedTask:
    """A task as the device knows it: the edge's copy plus the local progress."""

    data: dict
    step: str
    picked_qty: int

    @property
    def task_id(self) -> str:
        return self.data["task_id"]

    @property
    def remaining(self) -> int:
        return self.data["qty"] - self.picked_qty


class LocalStore:
    """Open the device database (one short connection per call, so any thread may use it)."""

    def __init__(self, path: str):
        self.path = path
        with closing(sqlite3.connect(path, timeout=10, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode=WAL")  # persistent: later connections inherit it
            conn.executescript(SCHEMA)

    @contextmanager
    def _write(self):
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as conn:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA synchronous=FULL")  # a confirmed pick must survive a battery pull
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with closing(sqlite3.connect(self.path, timeout=10)) as conn:
            conn.row_factory = sqlite3.Row
            return conn.execute(sql, params).fetchall()

    # -- session
    def save_session(self, badge: str, name: str, token: str, pin: str, now: str) -> None:
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO session VALUES (1, ?, ?, ?, ?, ?)",
                         (badge, name, token, pin_hash(badge, pin), now))

    def session(self) -> dict | None:
        rows = self._read("SELECT badge, name, token, pin_hash, signed_in_at FROM session")
        return dict(rows[0]) if rows else None

    def clear_session(self) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM session")

    # -- device enrolment
    def save_device(self, edge_url: str, device_id: str, site_id: str, device_token: str, now: str) -> None:
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO device VALUES (1, ?, ?, ?, ?, ?)",
                         (edge_url, device_id, site_id, device_token, now))

    def device(self) -> dict | None:
        rows = self._read("SELECT edge_url, device_id, site_id, device_token, enrolled_at FROM device")
        return dict(rows[0]) if rows else None

    def forget_device(self) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM device")
            conn.execute("DELETE FROM session")

    # -- tasks
    def cache_tasks(self, tasks: list[dict], now: str) -> None:
        """Cache every downloaded task; drop unstarted cached tasks the edge no longer leases to this device."""
        keep = [task["task_id"] for task in tasks]
        with self._write() as conn:  # re-inserted, so untouched tasks follow the edge's order again
            conn.execute(f"DELETE FROM tasks WHERE task_id IN ({','.join('?' for _ in keep)}) AND task_id NOT IN "
                         "(SELECT task_id FROM ops_outbox WHERE status = ? AND task_id IS NOT NULL)",
                         (*keep, PENDING))
        for task in tasks:
            self.cache_task(task, now)
        with self._write() as conn:
            conn.execute(f"UPDATE tasks SET step = 'released', updated_at = ? WHERE step IN {WORKING} "
                         f"AND task_id NOT IN ({','.join('?' for _ in keep)}) AND task_id NOT IN "
                         "(SELECT task_id FROM ops_outbox WHERE task_id IS NOT NULL)", (now, *keep))

    def cache_task(self, task: dict, now: str) -> CachedTask:
        """Store the edge's copy; keep local progress while this task still has ops waiting."""
        with self._write() as conn:
            waiting = conn.execute("SELECT 1 FROM ops_outbox WHERE task_id = ? AND status = ?",
                                   (task["task_id"], PENDING)).fetchone()
            if waiting is None:
                conn.execute("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(task_id) DO UPDATE SET "
                             "data = excluded.data, step = excluded.step, picked_qty = excluded.picked_qty, "
                             "updated_at = excluded.updated_at",
                             (task["task_id"], json.dumps(task), task["next_step"], task["picked_qty"], now, now))
        return self.task(task["task_id"])

    def task(self, task_id: str) -> CachedTask | None:
        rows = self._read("SELECT data, step, picked_qty FROM tasks WHERE task_id = ?", (task_id,))
        return _task(rows[0]) if rows else None

    def current_task(self) -> CachedTask | None:
        """Return the oldest cached task that is not finished on this device."""
        rows = self._read("SELECT data, step, picked_qty FROM tasks WHERE step IN ('scan_location', 'scan_item') "
                          "ORDER BY cached_at, rowid LIMIT 1")
        return _task(rows[0]) if rows else None

    def record(self, op_type: str, path: str, payload: dict, now: str, *, task_id: str | None = None,
               step: str | None = None, picked_qty: int | None = None, op_id: str | None = None) -> QueuedOp:
        """Queue one confirmation and apply its local effect on the cached task in the same transaction."""
        op_id = op_id or str(uuid.uuid4())
        body = dict(payload, op_id=op_id)
        with self._write() as conn:
            if task_id is not None:  # the op is fenced by the lease it was done under
                row = conn.execute("SELECT data FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
                epoch = json.loads(row["data"]).get("lease_epoch") if row else None
                if epoch is not None:
                    body["lease_epoch"] = epoch
            if task_id is not None and step is not None:
                conn.execute("UPDATE tasks SET step = ?, picked_qty = COALESCE(?, picked_qty), updated_at = ? "
                             "WHERE task_id = ?", (step, picked_qty, now, task_id))
            cur = conn.execute("INSERT INTO ops_outbox (op_id, type, path, payload, task_id, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?)", (op_id, op_type, path, json.dumps(body), task_id, now))
            seq = cur.lastrowid
        return QueuedOp(seq, op_id, op_type, path, body, task_id, now, PENDING)

    # -- outbox
    def pending_ops(self, limit: int = 200) -> list[QueuedOp]:
        return [_op(r) for r in self._read("SELECT * FROM ops_outbox WHERE status = ? ORDER BY device_seq LIMIT ?",
                                           (PENDING, limit))]

    def pending_count(self) -> int:
        return self._read("SELECT count(*) FROM ops_outbox WHERE status = ?", (PENDING,))[0][0]

    def mark_sent(self, device_seq: int, answer: dict, now: str) -> None:
        with self._write() as conn:
            conn.execute("UPDATE ops_outbox SET status = ?, answer = ? WHERE device_seq = ?",
                         (SENT, json.dumps(answer), device_seq))
            conn.execute("UPDATE sync_state SET last_synced_at = ?, last_error = NULL", (now,))

    def mark_refused(self, device_seq: int, reason: str, message: str, now: str) -> None:
        """Keep a refused op with the edge's reason; its task stops being worked on this device."""
        with self._write() as conn:
            conn.execute("UPDATE ops_outbox SET status = ?, reason = ?, message = ? WHERE device_seq = ?",
                         (REFUSED, reason, message, device_seq))
            row = conn.execute("SELECT task_id FROM ops_outbox WHERE device_seq = ?", (device_seq,)).fetchone()
            if row and row["task_id"]:
                conn.execute("UPDATE tasks SET step = 'refused', updated_at = ? WHERE task_id = ?",
                             (now, row["task_id"]))
            conn.execute("UPDATE sync_state SET last_synced_at = ?", (now,))

    def refusals(self) -> list[QueuedOp]:
        """Return refused ops the picker has not yet acknowledged."""
        return [_op(r) for r in self._read("SELECT * FROM ops_outbox WHERE status = ? AND seen_at IS NULL "
                                           "ORDER BY device_seq", (REFUSED,))]

    def acknowledge_refusals(self, now: str) -> None:
        with self._write() as conn:
            conn.execute("UPDATE ops_outbox SET seen_at = ? WHERE status = ? AND seen_at IS NULL", (now, REFUSED))

    def answer(self, op_id: str) -> dict | None:
        """Return the edge's answer to a sent op (None while it waits or was refused)."""
        rows = self._read("SELECT answer FROM ops_outbox WHERE op_id = ? AND status = ?", (op_id, SENT))
        return json.loads(rows[0]["answer"]) if rows and rows[0]["answer"] else None

    def ops(self) -> list[QueuedOp]:
        return [_op(r) for r in self._read("SELECT * FROM ops_outbox ORDER BY device_seq")]

    # -- sync state
    def note_sync_error(self, error: str) -> None:
        with self._write() as conn:
            conn.execute("UPDATE sync_state SET last_error = ?", (error,))

    def sync_state(self) -> dict:
        return dict(self._read("SELECT last_synced_at, last_error FROM sync_state")[0])


def _task(row: sqlite3.Row) -> CachedTask:
    return CachedTask(json.loads(row["data"]), row["step"], row["picked_qty"])


def _op(row: sqlite3.Row) -> QueuedOp:
    return QueuedOp(row["device_seq"], row["op_id"], row["type"], row["path"], json.loads(row["payload"]),
                    row["task_id"], row["created_at"], row["status"], row["reason"], row["message"])
