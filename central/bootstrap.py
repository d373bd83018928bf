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

__all__ = ["migrate", "bootstrap_bus", "build_central", "Central"]


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
                  password: str | None = None, ca_file: str | None = None) -> Central:
    """Migrate the database and wire the hub endpoint, the allocation retry pump and the app."""
    migrate(db_path)
    bus = bootstrap_bus(db_path)
    endpoint = HubSyncEndpoint(db_path, mqtt_url, apply_event, site_state_recorder(bus.handle),
                               resend_after=resend_after, username=username, password=password, ca_file=ca_file)
    bus.on_commands_sent = endpoint.nudge  # the endpoint needs the bus first, so wire its nudge after
    endpoint.add_pump(AllocationRetryPump(db_path, lambda: bus.handle(AllocateWaitingOrders()),
                                          interval=allocation_interval))
    app = create_app({"DB_PATH": db_path, "SYNC": endpoint}, bus=bus)
    return Central(app, endpoint, bus)
