"""Wire the centre's concrete parts: database, message bus, sync endpoint, allocation pump, app."""
from dataclasses import dataclass
from typing import Callable

from central.adapters.hub_hooks import AllocationRetryPump, apply_event, site_state_recorder
from central.adapters.migrations import migrate
from central.adapters.sqlite_uow import SqliteUnitOfWork
from central.service.commands import AllocateWaitingOrders
from central.service.messagebus import MessageBus
from central.web import create_app
from sync.hub_endpoint import HubSyncEndpoint
from sync.shared_ingest import IngestPoolHealth, SharedIngestEndpoint

__all__ = ["migrate", "bootstrap_bus", "build_central", "build_ingest_worker", "Central"]


def bootstrap_bus(db_path: str, on_commands_sent: Callable[[], None] | None = None) -> MessageBus:
    """Return a message bus on SQLite units of work for this database."""
    return MessageBus(lambda: SqliteUnitOfWork(db_path), on_commands_sent or (lambda: None))


@dataclass
class Central:
    """A wired centre: the Flask app and its (not yet started) sync endpoint."""

    app: object
    endpoint: object
    bus: MessageBus


def build_central(db_path: str, mqtt_url: str, resend_after: float = 30.0,
                  allocation_interval: float = 1.0, username: str | None = None,
                  password: str | None = None, ca_file: str | None = None, ingest: bool = True) -> Central:
    """Migrate the database and wire the hub endpoint, the allocation retry pump and the app.

    With `ingest` off the app gets no MQTT link: separate ingest workers (`build_ingest_worker`) own it.
    """
    migrate(db_path)
    bus = bootstrap_bus(db_path)
    if not ingest:
        return Central(create_app({"DB_PATH": db_path, "SYNC": IngestPoolHealth(db_path)}, bus=bus), None, bus)
    endpoint = HubSyncEndpoint(db_path, mqtt_url, apply_event, site_state_recorder(bus.handle),
                               resend_after=resend_after, username=username, password=password, ca_file=ca_file)
    bus.on_commands_sent = endpoint.nudge  # the endpoint needs the bus first, so wire its nudge after
    endpoint.add_pump(AllocationRetryPump(db_path, lambda: bus.handle(AllocateWaitingOrders()),
                                          interval=allocation_interval))
    app = create_app({"DB_PATH": db_path, "SYNC": endpoint}, bus=bus)
    return Central(app, endpoint, bus)


def build_ingest_worker(db_path: str, mqtt_url: str, worker_id: str, *, resend_after: float = 30.0,
                        allocation_interval: float = 1.0, lease_ttl: float = 5.0, reorder_timeout: float = 5.0,
                        username: str | None = None, password: str | None = None,
                        ca_file: str | None = None) -> SharedIngestEndpoint:
    """Migrate the database and wire one ingest worker; allocation retries run in whichever worker leads."""
    migrate(db_path)
    bus = bootstrap_bus(db_path)
    worker = SharedIngestEndpoint(db_path, mqtt_url, apply_event, site_state_recorder(bus.handle),
                                  worker_id=worker_id, lease_ttl=lease_ttl, reorder_timeout=reorder_timeout,
                                  resend_after=resend_after, username=username, password=password, ca_file=ca_file)
    bus.on_commands_sent = worker.nudge
    worker.add_pump(AllocationRetryPump(db_path, lambda: bus.handle(AllocateWaitingOrders()),
                                        interval=allocation_interval))
    return worker
