"""Units of work on SQLite: one owning its BEGIN IMMEDIATE transaction, one joining the sync inbox's."""
from typing import Callable

from sqlite_utils import Database

from central.service.unit_of_work import UnitOfWork
from sync.sqlite_store import utc_now, write_transaction

from .sqlite_asns import SqliteAsnRepository
from .sqlite_master_data import (SqliteItemRepository, SqliteLocationRepository, SqliteSiteCommandOutbox,
                                 SqliteSiteRepository, SqliteStockRepository, SqliteStockSnapshotRepository)
from .sqlite_orders import SqliteOrderRepository
from .sqlite_returns import SqliteReturnRepository


class _RollBack(Exception):
    """Thrown into write_transaction to make it roll back without a real error."""


def _bind(uow: UnitOfWork, db: Database, now: str) -> None:
    uow.now = now
    uow.orders = SqliteOrderRepository(db)
    uow.items = SqliteItemRepository(db)
    uow.sites = SqliteSiteRepository(db)
    uow.stock = SqliteStockRepository(db)
    uow.locations = SqliteLocationRepository(db)
    uow.snapshots = SqliteStockSnapshotRepository(db)
    uow.commands = SqliteSiteCommandOutbox(db, now)
    uow.asns = SqliteAsnRepository(db)
    uow.returns = SqliteReturnRepository(db)


class SqliteUnitOfWork(UnitOfWork):
    """Open a write transaction (BEGIN IMMEDIATE) on enter; commit() commits, anything else rolls back."""

    def __init__(self, db_path: str, clock: Callable[[], str] = utc_now):
        self.db_path, self.clock = db_path, clock
        self._tx = None

    def __enter__(self) -> "SqliteUnitOfWork":
        self._tx = write_transaction(self.db_path)
        _bind(self, self._tx.__enter__(), self.clock())
        self.commands_sent = 0
        return self

    def commit(self) -> None:
        tx, self._tx = self._tx, None
        tx.__exit__(None, None, None)

    def rollback(self) -> None:
        tx, self._tx = self._tx, None
        if tx is not None:
            tx.__exit__(_RollBack, _RollBack(), None)


class JoinedSqliteUnitOfWork(UnitOfWork):
    """Work inside a transaction someone else owns (the sync inbox), under a savepoint of our own."""

    SAVEPOINT = "central_uow"

    def __init__(self, db: Database, clock: Callable[[], str] = utc_now):
        self.db, self.clock = db, clock
        self._open = False

    def __enter__(self) -> "JoinedSqliteUnitOfWork":
        self.db.execute(f"SAVEPOINT {self.SAVEPOINT}")
        self._open = True
        _bind(self, self.db, self.clock())
        self.commands_sent = 0
        return self

    def commit(self) -> None:
        if self._open:
            self.db.execute(f"RELEASE {self.SAVEPOINT}")
            self._open = False

    def rollback(self) -> None:
        if self._open:
            self.db.execute(f"ROLLBACK TO {self.SAVEPOINT}")
            self.db.execute(f"RELEASE {self.SAVEPOINT}")
            self._open = False
