"""The SQLite unit of work: one BEGIN IMMEDIATE transaction holding the state change and its outbox rows."""
from typing import Callable

from sqlite_utils import Database

from edge.devices.registry import DeviceConfig
from edge.domain.events import Event
from edge.service.unit_of_work import Origin, UnitOfWork
from protocols.messages.site_events import check_site_event_data
from sync.sqlite_store import OutgoingEvent, append_outbox, as_database, pooled_connection, utc_now, writer_lock

from . import sqlite_repositories as repos
from .sqlite_counts import (SqliteCountRepository, SqlitePickFaceRepository, SqliteQuantRepository,
                            SqliteReplenishmentRepository)
from .sqlite_labels import SqliteCartonLabels
from .sqlite_lots import SqliteLotRepository, SqliteVerificationRepository
from .sqlite_lead_actions import SqliteAuditLog, SqliteRefusalLog, SqliteResolutionRepository
from .sqlite_receiving import SqliteReceivingRepository
from .sqlite_returns import SqliteReturnRepository
from .sqlite_batches import SqliteBatchRepository

UP_STREAM = "up"

# Every repository a unit of work offers (UnitOfWork's attributes), made from its transaction and site.
REPOSITORIES: dict[str, Callable[["SqliteUnitOfWork"], object]] = {
    "locations": lambda uow: repos.SqliteLocationRepository(uow.db),
    "items": lambda uow: repos.SqliteItemRepository(uow.db),
    "pickers": lambda uow: repos.SqlitePickerRepository(uow.db),
    "sessions": lambda uow: repos.SqliteSessionRepository(uow.db),
    "orders": lambda uow: repos.SqliteOrderRepository(uow.db),
    "tasks": lambda uow: repos.SqliteTaskRepository(uow.db, uow.site_id),
    "stock": lambda uow: repos.SqliteStockRepository(uow.db),
    "cartons": lambda uow: repos.SqliteCartonRepository(uow.db, uow.site_id),
    "labels": lambda uow: SqliteCartonLabels(uow.db, uow._devices, uow.items),
    "ops": lambda uow: repos.SqliteOpRepository(uow.db),
    "scan_errors": lambda uow: repos.SqliteScanErrorRepository(uow.db),
    "refusals": lambda uow: SqliteRefusalLog(uow.db),
    "devices": lambda uow: repos.SqliteDeviceRepository(uow.db),
    "enrolment_codes": lambda uow: repos.SqliteEnrolmentCodeRepository(uow.db),
    "audit": lambda uow: SqliteAuditLog(uow.db, uow._clock),
    "resolutions": lambda uow: SqliteResolutionRepository(uow.db),
    "receiving": lambda uow: SqliteReceivingRepository(uow.db, uow.site_id),
    "counts": lambda uow: SqliteCountRepository(uow.db, uow.site_id),
    "pick_faces": lambda uow: SqlitePickFaceRepository(uow.db),
    "replenishments": lambda uow: SqliteReplenishmentRepository(uow.db, uow.site_id),
    "quants": lambda uow: SqliteQuantRepository(uow.db),
    "returns": lambda uow: SqliteReturnRepository(uow.db),
    "lots": lambda uow: SqliteLotRepository(uow.db),
    "verification": lambda uow: SqliteVerificationRepository(uow.db),
    "batches": lambda uow: SqliteBatchRepository(uow.db, uow.site_id),
}


class _Repository:
    """A unit of work's repository, built on its first use in the transaction and kept as a plain attribute."""

    __slots__ = ("name", "build")

    def __init__(self, name: str, build: Callable[["SqliteUnitOfWork"], object]):
        self.name, self.build = name, build

    def __get__(self, uow: "SqliteUnitOfWork | None", owner=None):
        if uow is None:
            return self
        if "db" not in uow.__dict__:
            raise AttributeError(f"{self.name}: enter the unit of work first")
        repository = uow.__dict__[self.name] = self.build(uow)  # found there from now on, before this descriptor
        uow._built.append(self.name)
        return repository


class SqliteUnitOfWork(UnitOfWork):
    """Open its own write transaction on db_path, or join one already open on `db` (the sync inbox's).

    A joined unit of work writes its outbox rows into the caller's transaction and leaves COMMIT to it; with
    `savepoint` it is also all-or-nothing inside that transaction (group commit runs many in one).
    With `devices` (a site's device config, its tables migrated) closing a carton issues an SSCC and a label job.
    """

    def __init__(self, db_path: str | None = None, *, db: Database | None = None,
                 on_commit: Callable[[], None] = lambda: None, clock: Callable[[], str] = utc_now,
                 devices: DeviceConfig | None = None, savepoint: bool = False, site_id: str | None = None):
        if (db_path is None) == (db is None):
            raise ValueError("give exactly one of db_path or db")
        self.db_path, self._joined, self._on_commit, self._clock = db_path, db, on_commit, clock
        self._devices, self._savepoint, self._in_savepoint = devices, savepoint, False
        self._site_id = site_id  # known to the caller (group commit): saves a read per unit of work
        self._conn = None
        self._lease = self._queue = None
        self._built: list[str] = []

    def __enter__(self) -> "SqliteUnitOfWork":
        super().__enter__()
        if self._joined is not None:
            self.db = self._joined
            if self._savepoint:
                self.db.execute("SAVEPOINT uow")
                self._in_savepoint = True
        else:
            self._lease = pooled_connection(self.db_path)
            self._conn = self._lease.__enter__()
            self._queue = writer_lock(self.db_path)
            self._queue.__enter__()
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except Exception:
                self._queue.__exit__(None, None, None)
                self._lease.__exit__(None, None, None)
                self._conn = self._lease = self._queue = None
                raise  # take the write lock now, not on the first write
            self.db = as_database(self._conn)
        if self._site_id is None:
            (self._site_id,) = self.db.execute("SELECT site_id FROM site_meta WHERE id = 1").fetchone()
        self.site_id = self._site_id
        for name in self._built:  # a unit of work entered again (a refusal logged after its rollback) starts afresh
            del self.__dict__[name]
        self._built = []
        return self

    def __exit__(self, *exc) -> None:
        try:
            super().__exit__(*exc)
        finally:
            if self._lease is not None:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                self._queue.__exit__(None, None, None)
                self._lease.__exit__(None, None, None)  # hands the connection back
                self._conn = self._lease = self._queue = None

    def _commit(self, events: list[tuple[Event, Origin]]) -> None:
        outgoing = []
        for event, origin in events:
            # Checked against the wire contract here so a malformed event fails its own transaction
            # instead of poisoning the centre's inbox later.
            data = event.data()
            check_site_event_data(event.TYPE, data)
            outgoing.append(OutgoingEvent(event.TYPE, data, origin.occurred_at, origin.device_id, origin.op_id))
        if outgoing:
            append_outbox(self.db, UP_STREAM, outgoing)
        if self._in_savepoint:
            self.db.execute("RELEASE uow")
            self._in_savepoint = False
        if self._conn is not None:
            self._conn.execute("COMMIT")
            self._on_commit()

    def rollback(self) -> None:
        if self._in_savepoint:
            self.db.execute("ROLLBACK TO uow")
            self.db.execute("RELEASE uow")
            self._in_savepoint = False
        if self._conn is not None and self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def now(self) -> str:
        return self._clock()


for _name, _build in REPOSITORIES.items():
    setattr(SqliteUnitOfWork, _name, _Repository(_name, _build))
del _name, _build
