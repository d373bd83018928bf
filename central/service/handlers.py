"""Handlers for orders and master data: one transaction each, commands to sites in the same one."""
import logging

from central.domain.allocation import PACK_LOCATION, Availability, allocate_orders
from central.domain.errors import DuplicateOrder, DuplicateSite, UnknownItem
from central.domain.master_data import Item, Site
from central.domain.orders import Order, OrderAllocated, OrderCancelRequested, check_order_fields
from protocols.status import ORDER_RECEIVED

from .commands import (AllocateWaitingOrders, CreateOrder, RecordSiteState, RegisterSite, SeedMasterData,
                       UpsertItem)
from .unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def create_order(cmd: CreateOrder, uow: UnitOfWork) -> str:
    """Take a customer order and try to allocate it at once; return its order id."""
    lines = [(line.sku, line.qty) for line in cmd.lines]
    check_order_fields(cmd.customer, cmd.priority, cmd.requested_ship_date, lines)
    with uow:
        if cmd.external_ref:
            existing = uow.orders.id_for_external_ref(cmd.external_ref)
            if existing:
                raise DuplicateOrder(cmd.external_ref, existing)
        missing = uow.items.missing([sku for sku, _ in lines])
        if missing:
            raise UnknownItem(missing)
        order = Order.place(uow.orders.next_order_id(), cmd.customer, cmd.priority, cmd.requested_ship_date,
                            lines, uow.now, external_ref=cmd.external_ref, allow_split=cmd.allow_split)
        if cmd.hold_reason is not None:
            order.hold(cmd.hold_reason, cmd.operator, uow.now)
        uow.orders.add(order)
        if order.status == ORDER_RECEIVED:
            allocate_and_send([order], uow)
        uow.commit()
    return order.order_id


def allocate_waiting_orders(cmd: AllocateWaitingOrders, uow: UnitOfWork) -> list[str]:
    """Offer current stock to every order still received; return the ids that got a site."""
    with uow:
        waiting = uow.orders.waiting()
        allocated = allocate_and_send(waiting, uow) if waiting else []
        uow.commit()
    return [order.order_id for order in allocated]


def availability_for(skus: set[str], uow: UnitOfWork) -> Availability:
    """Return what every registered site can still promise of these skus."""
    return Availability.from_stock(
        uow.sites.ids(), uow.stock.on_hand_by_site(skus, PACK_LOCATION), uow.orders.outstanding_by_site(skus))


def allocate_and_send(orders: list[Order], uow: UnitOfWork) -> list[Order]:
    skus = {sku for order in orders for sku in order.demand()}
    allocated = allocate_orders(orders, availability_for(skus, uow), uow.now)
    for order in allocated:
        send_events(order, uow)
    for order in orders:
        uow.orders.save(order)
    return allocated


def send_events(order: Order, uow: UnitOfWork) -> None:
    """Turn the order's domain events into commands for its site, in the same transaction."""
    for event in order.events:
        if isinstance(event, OrderAllocated):
            uow.send_command(event.site_id, "order.allocated", _order_allocated_data(order, uow))
        elif isinstance(event, OrderCancelRequested):
            uow.send_command(event.site_id, "order.cancelled", {"order_id": event.order_id, "reason": event.reason})
    order.events.clear()


def _order_allocated_data(order: Order, uow: UnitOfWork) -> dict:
    lines = []
    for line in order.lines:
        item = uow.items.get(line.sku) or Item(line.sku)
        lines.append({"line_no": line.line_no, "sku": line.sku, "qty": line.qty, "item": item.as_command_data()})
    return {"order_id": order.order_id, "customer": order.customer, "priority": order.priority,
            "requested_ship_date": order.requested_ship_date, "lines": lines}


def register_site(cmd: RegisterSite, uow: UnitOfWork) -> None:
    """Add a site and send it every item it will need to know."""
    with uow:
        if uow.sites.get(cmd.site_id):
            raise DuplicateSite(cmd.site_id)
        _put_site(Site(cmd.site_id, cmd.name), uow)
        uow.commit()


def upsert_item(cmd: UpsertItem, uow: UnitOfWork) -> bool:
    """Create or update an item and send it to every site; return True if it was new."""
    with uow:
        created = uow.items.get(cmd.sku) is None
        _put_item(Item(cmd.sku, cmd.description, tuple(cmd.gtins), cmd.tracking), uow)
        uow.commit()
    return created


def seed_master_data(cmd: SeedMasterData, uow: UnitOfWork) -> dict:
    """Create missing sites and items and update changed ones; a re-run changes nothing."""
    counts = {"sites_changed": 0, "items_changed": 0}
    with uow:
        for site in cmd.sites:
            counts["sites_changed"] += _put_site(Site(site.site_id, site.name), uow)
        for item in cmd.items:
            counts["items_changed"] += _put_item(Item(item.sku, item.description, tuple(item.gtins), item.tracking), uow)
        uow.commit()
    return counts


def _put_site(site: Site, uow: UnitOfWork) -> bool:
    existing = uow.sites.get(site.site_id)
    if existing == site:
        return False
    uow.sites.put(site)
    if existing is None:
        for item in uow.items.all():
            uow.send_command(site.site_id, "item.upserted", item.as_command_data())
    return True


def _put_item(item: Item, uow: UnitOfWork) -> bool:
    if uow.items.get(item.sku) == item:
        return False  # unchanged: sites already have it, send nothing
    uow.items.put(item)
    for site_id in uow.sites.ids():
        uow.send_command(site_id, "item.upserted", item.as_command_data())
    return True


def record_site_state(cmd: RecordSiteState, uow: UnitOfWork) -> bool:
    """Remember whether a site is online and what it last said; ignore unregistered sites."""
    with uow:
        known = uow.sites.record_state(cmd.site_id, cmd.online, cmd.state, uow.now)
        uow.commit()
    if not known:
        log.warning("presence from unregistered site %r ignored; register it with POST /api/v1/sites",
                    cmd.site_id)
    return known
