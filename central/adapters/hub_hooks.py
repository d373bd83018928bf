"""What the centre plugs into HubSyncEndpoint: event ingest, site presence, allocation retries."""
import logging
import time
from typing import Callable

from sqlite_utils import Database

from central.domain.errors import SiteEventNotApplicable
from central.service.commands import IngestSiteEvent, RecordSiteState
from central.service.site_events import ingest_site_event
from protocols.status import ORDER_RECEIVED
from sync.sqlite_store import EventRejected, read_connection

from .sqlite_uow import JoinedSqliteUnitOfWork

log = logging.getLogger(__name__)


def apply_event(db: Database, site: str, event: dict) -> None:
    """Apply one site event inside the sync inbox's transaction; raise EventRejected to set it aside."""
    cmd = IngestSiteEvent(site, event["type"], event["data"], event.get("occurred_at") or "")
    try:
        ingest_site_event(cmd, JoinedSqliteUnitOfWork(db))
    except SiteEventNotApplicable as err:
        log.warning("rejected %s #%s from %s: %s", event["type"], event.get("seq"), site, err)
        raise EventRejected(str(err)) from None


def site_state_recorder(handle: Callable[[object], object]) -> Callable[[str, dict], None]:
    """Return the on_site_state callback: record a site's presence through the message bus."""

    def on_site_state(site: str, state: dict) -> None:
        handle(RecordSiteState(site, bool(state.get("online")), state))

    return on_site_state


class AllocationRetryPump:
    """Retry allocation of received orders at most once per interval, and only after new site events.

    Stock (and what other orders still owe) only changes through site events, so while the
    inbox has not moved, a retry could not allocate anything that failed before.
    """

    def __init__(self, db_path: str, allocate: Callable[[], object], interval: float = 1.0,
                 clock: Callable[[], float] = time.monotonic):
        self.db_path, self.allocate, self.interval, self.clock = db_path, allocate, interval, clock
        self._next_check = 0.0
        self._inbox_mark: int | None = None

    def __call__(self) -> bool:
        """Run one cheap check; return True if allocation was retried."""
        now = self.clock()
        if now < self._next_check:
            return False
        self._next_check = now + self.interval
        with read_connection(self.db_path) as conn:
            (waiting,) = conn.execute("SELECT EXISTS (SELECT 1 FROM orders WHERE status = ?)",
                                      [ORDER_RECEIVED]).fetchone()
            # every event stored advances its stream's high-water mark, so their sum moves whenever the ledger does
            (mark,) = conn.execute("SELECT COALESCE(SUM(hwm), 0) FROM sync_inbox_cursor").fetchone()
        if not waiting or mark == self._inbox_mark:
            return False
        self._inbox_mark = mark
        allocated = self.allocate()
        if allocated:
            log.info("allocated waiting orders %s", ", ".join(allocated))
        return True
