"""Apply the events sites send up: stock deltas, order progress and learned locations."""
import logging
from typing import Callable

from central.domain.errors import InvalidSiteEvent, OrderNotAtSite
from central.domain.orders import TRANSFER, Order
from protocols.status import ORDER_CANCELLED
from protocols.messages.site_events import load_site_event_data

from .asns import apply_receipt_recorded
from .commands import IngestSiteEvent
from .handlers import availability_for, send_events
from .returns import apply_return_recorded
from .short_recovery import apply_short_recovered
from .unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def ingest_site_event(cmd: IngestSiteEvent, uow: UnitOfWork) -> None:
    """Validate one site event and apply its effect; raise SiteEventNotApplicable to set it aside."""
    try:
        data = load_site_event_data(cmd.type, cmd.data)
    except ValueError as err:
        raise InvalidSiteEvent(str(err)) from None
    with uow:
        APPLIERS[cmd.type](cmd, data, uow)
        uow.commit()


def _stock_changed(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    qty = uow.stock.add_delta(cmd.site_id, data["location"], data["sku"], data["lot"], data["qty_delta"])
    if qty < 0:
        # kept as reported: deltas are facts, and a later count at the site will correct it
        log.warning("site %s now shows %s of %s at %s (lot %r) after a %s delta",
                    cmd.site_id, qty, data["sku"], data["location"], data["lot"], data["reason"])


def _site_order(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> Order:
    order = uow.orders.get(data["order_id"])
    if order is None:
        raise OrderNotAtSite(data["order_id"], cmd.site_id)
    return order


def _order_status_changed(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    order = _site_order(cmd, data, uow)
    order.record_site_status(cmd.site_id, data["status"], data["note"], cmd.occurred_at or uow.now, uow.now)
    uow.orders.save(order)
    if order.parent_order_id:
        parent = uow.orders.get(order.parent_order_id)
        if parent is not None:
            parent.roll_up(uow.orders.parts(parent.order_id), uow.now)
            uow.orders.save(parent)


def _task_picked(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    order = _site_order(cmd, data, uow)
    order.record_pick(cmd.site_id, data["line_no"], data["sku"], data["qty"], uow.now)
    uow.orders.save(order)


def _task_shorted(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    order = _site_order(cmd, data, uow)
    order.record_short(cmd.site_id, data["line_no"], data["sku"], data["qty_short"], uow.now)
    reallocate_short(order, data["sku"], data["qty_short"], uow, data["task_id"])
    uow.orders.save(order)


def reallocate_short(order: Order, sku: str, qty: int, uow: UnitOfWork, task_id: str = "") -> None:
    """Offer a short-picked quantity to the other sites as a new part of the root order, else short-close it.

    The part remembers the order and task it fills the short of, so a later task.short_recovered can take it back.
    """
    others = availability_for({sku}, uow).without(order.site_id)
    site = others.choose_site({sku: qty}) if order.kind != TRANSFER and order.status != ORDER_CANCELLED else None
    if site is None:
        return  # short-closed: the line's short_qty already takes it out of what the order still owes
    root = order if order.parent_order_id is None else (uow.orders.get(order.parent_order_id) or order)
    part = root.part(f"{root.order_id}-{len(uow.orders.parts(root.order_id)) + 1}", [(sku, qty)], uow.now)
    part.backorder_of, part.backorder_task = order.order_id, task_id or None
    part.allocate(site, uow.now)
    send_events(part, uow)
    uow.orders.add(part)
    order.note_event(f"{qty} x {sku} short at {order.site_id}: re-allocated as {part.order_id} to {site}", uow.now)


def _location_upserted(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    uow.locations.upsert(cmd.site_id, data["location"], data["barcode"], data["zone"], data["pick_seq"])


def _order_batched(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    order = _site_order(cmd, data, uow)
    where = f"batch {data['batch_id']} of wave {data['wave_id']}"
    note = {"released": f"in {where}, cart slot {data['slot']}",
            "picked": f"picked in {where} into tote {data['tote'] or '(none: nothing picked)'}"
                      f" by {data['actor'] or 'a picker'}; tote to packing",
            "cancelled": f"{where} stopped by {data['actor'] or 'the site lead'}: back to single picking"}
    order.note_site_event(cmd.site_id, note[data["stage"]], cmd.occurred_at or uow.now, uow.now)
    uow.orders.save(order)


def _ledger_only(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    """Keep nothing beyond the sync inbox row, which already records the event."""


APPLIERS: dict[str, Callable[[IngestSiteEvent, dict, UnitOfWork], None]] = {
    "stock.changed": _stock_changed,
    "order.status_changed": _order_status_changed,
    "task.picked": _task_picked,
    "task.shorted": _task_shorted,
    "task.short_recovered": apply_short_recovered,
    "location.upserted": _location_upserted,
    "scan.rejected": _ledger_only,
    "carton.closed": _ledger_only,
    "receipt.recorded": apply_receipt_recorded,
    "return.recorded": apply_return_recorded,
    "order.batched": _order_batched,
}
