"""Route each command to its handler with a fresh unit of work, and wake the sync after commands."""
from typing import Callable

from . import asns, handlers
from .commands import (AllocateWaitingOrders, CreateOrder, IngestSiteEvent, RecordSiteState, RegisterSite,
                       SeedMasterData, UpsertItem)
from .site_events import ingest_site_event
from .unit_of_work import UnitOfWork

HANDLERS: dict[type, Callable] = {
    CreateOrder: handlers.create_order,
    AllocateWaitingOrders: handlers.allocate_waiting_orders,
    RegisterSite: handlers.register_site,
    UpsertItem: handlers.upsert_item,
    SeedMasterData: handlers.seed_master_data,
    RecordSiteState: handlers.record_site_state,
    IngestSiteEvent: ingest_site_event,
    asns.CreateAsn: asns.create_asn,
}


class MessageBus:
    """Handle commands one transaction each; call on_commands_sent after a commit that queued commands."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork],
                 on_commands_sent: Callable[[], None] = lambda: None):
        self.uow_factory = uow_factory
        self.on_commands_sent = on_commands_sent

    def handle(self, cmd):
        """Run the command's handler and return its result."""
        uow = self.uow_factory()
        result = HANDLERS[type(cmd)](cmd, uow)
        if uow.commands_sent:
            self.on_commands_sent()
        return result
