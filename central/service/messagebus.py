"""Route each command to its handler with a fresh unit of work, and wake the sync after commands."""
from typing import Callable

from . import asns, handlers, order_lifecycle, returns
from .commands import (AllocateWaitingOrders, CancelOrder, CreateOrder, CreateTransfer, HoldOrder, IngestSiteEvent,
                       ReceiveTransfer, RecordSiteState, RecordStockSnapshot, RegisterSite, ReleaseHold,
                       SeedMasterData, UpsertItem)
from .site_events import ingest_site_event
from .stock_snapshots import record_stock_snapshot
from .unit_of_work import UnitOfWork

HANDLERS: dict[type, Callable] = {
    CreateOrder: handlers.create_order,
    AllocateWaitingOrders: handlers.allocate_waiting_orders,
    RegisterSite: handlers.register_site,
    UpsertItem: handlers.upsert_item,
    SeedMasterData: handlers.seed_master_data,
    RecordSiteState: handlers.record_site_state,
    IngestSiteEvent: ingest_site_event,
    HoldOrder: order_lifecycle.hold_order,
    ReleaseHold: order_lifecycle.release_hold,
    CancelOrder: order_lifecycle.cancel_order,
    CreateTransfer: order_lifecycle.create_transfer,
    ReceiveTransfer: order_lifecycle.receive_transfer,
    RecordStockSnapshot: record_stock_snapshot,
    asns.CreateAsn: asns.create_asn,
    returns.AnnounceReturn: returns.announce_return,
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
