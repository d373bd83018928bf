"""SQLite adapters for the lead's actions: the audit log port, the exception resolutions and the refused-op log."""
import json
from datetime import datetime
from typing import Callable

from sqlite_utils import Database

from edge.domain.lead_actions import Resolution
from edge.service.unit_of_work import RefusedOp

from .staff_accounts import audit


class SqliteAuditLog:
    """Write audit entries into the unit of work's transaction, stamped with its clock."""

    def __init__(self, db: Database, clock: Callable[[], str]):
        self.db, self.clock = db, clock

    def record(self, actor: str, action: str, subject: str, reason: str = "", detail: dict | None = None) -> None:
        audit(self.db, actor, action, subject, datetime.fromisoformat(self.clock()), reason, detail)


class SqliteResolutionRepository:
    def __init__(self, db: Database):
        self.db = db

    def get(self, kind: str, ref: str) -> Resolution | None:
        row = self.db.execute("SELECT kind, ref, action, actor, at, reason FROM exception_resolutions"
                              " WHERE kind = ? AND ref = ?", [kind, ref]).fetchone()
        return Resolution(*row) if row else None

    def add(self, resolution: Resolution) -> None:
        self.db.execute("INSERT INTO exception_resolutions (kind, ref, action, actor, at, reason)"
                        " VALUES (?,?,?,?,?,?)", [resolution.kind, resolution.ref, resolution.action,
                                                  resolution.actor, resolution.at, resolution.reason])


class SqliteRefusalLog:
    def __init__(self, db: Database):
        self.db = db

    def add(self, refused: RefusedOp) -> None:
        # op_id is UNIQUE: a device replaying the same refused op is answered again but logged once.
        self.db.execute("INSERT OR IGNORE INTO refused_ops (at, op_id, badge, device_id, endpoint, code, message,"
                        " task_id, order_id, occurred_at, request) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        [refused.at, refused.op_id, refused.badge, refused.device_id, refused.endpoint, refused.code,
                         refused.message, refused.task_id, refused.order_id, refused.occurred_at,
                         json.dumps(refused.request or {}, sort_keys=True)])
