"""Handlers for an order's life after intake: holds, cancellation, transfers between sites."""
from central.domain.allocation import Availability
from central.domain.errors import InvalidOrder, NotEnoughStock, UnknownItem, UnknownOrder, UnknownSite
from central.domain.orders import ORDER_SPLIT, TRANSFER, Order, check_order_fields
from protocols.status import ORDER_SHIPPED

from .commands import CancelOrder, CreateTransfer, HoldOrder, ReceiveTransfer, ReleaseHold
from .handlers import allocate_and_send, availability_for, send_events
from .unit_of_work import UnitOfWork


def _order(uow: UnitOfWork, order_id: str) -> Order:
    order = uow.orders.get(order_id)
    if order is None:
        raise UnknownOrder(order_id)
    return order


def hold_order(cmd: HoldOrder, uow: UnitOfWork) -> None:
    """Put an order not yet sent to a site on hold, recording who and why."""
    with uow:
        order = _order(uow, cmd.order_id)
        order.hold(cmd.reason, cmd.operator, uow.now)
        uow.orders.save(order)
        uow.commit()


def release_hold(cmd: ReleaseHold, uow: UnitOfWork) -> None:
    """Take an order off hold, recording who and why, and offer it stock at once."""
    with uow:
        order = _order(uow, cmd.order_id)
        order.release_hold(cmd.reason, cmd.operator, uow.now)
        allocate_and_send([order], uow)
        uow.commit()


def cancel_order(cmd: CancelOrder, uow: UnitOfWork) -> None:
    """Cancel an order (a split one through each of its parts); a site's order is asked to stop."""
    with uow:
        order = _order(uow, cmd.order_id)
        if order.status == ORDER_SPLIT:
            parts = uow.orders.parts(order.order_id)
            if any(part.status == ORDER_SHIPPED for part in parts):
                raise InvalidOrder(f"a part of order {order.order_id} has shipped; cancel its other parts one by one",
                                   code="part_shipped")
            for part in parts:
                part.cancel(cmd.reason, cmd.operator, uow.now)
                send_events(part, uow)
                uow.orders.save(part)
            order.cancel_parts(cmd.reason, cmd.operator, uow.now)
            order.roll_up(parts, uow.now)
        else:
            order.cancel(cmd.reason, cmd.operator, uow.now)
            send_events(order, uow)
        uow.orders.save(order)
        uow.commit()


def create_transfer(cmd: CreateTransfer, uow: UnitOfWork) -> str:
    """Make a transfer order: allocated to the source site now, shipping to the destination site."""
    lines = [(line.sku, line.qty) for line in cmd.lines]
    check_order_fields(f"Transfer to {cmd.to_site}", cmd.priority, cmd.requested_ship_date, lines)
    if cmd.from_site == cmd.to_site:
        raise InvalidOrder("a transfer goes between two different sites",
                           {"to_site": ["Choose a site other than from_site."]})
    with uow:
        for site_id in (cmd.from_site, cmd.to_site):
            if uow.sites.get(site_id) is None:
                raise UnknownSite(site_id)
        missing = uow.items.missing([sku for sku, _ in lines])
        if missing:
            raise UnknownItem(missing)
        order = Order.place(uow.orders.next_order_id(), f"Transfer to {cmd.to_site}", cmd.priority,
                            cmd.requested_ship_date, lines, uow.now, kind=TRANSFER, ship_to_site=cmd.to_site)
        demand = order.demand()
        source = Availability({cmd.from_site: availability_for(set(demand), uow).by_site.get(cmd.from_site, {})})
        short = {sku: qty - source.available(cmd.from_site, sku) for sku, qty in demand.items()
                 if source.available(cmd.from_site, sku) < qty}
        if short:
            raise NotEnoughStock(cmd.from_site, short)
        order.allocate(cmd.from_site, uow.now)
        send_events(order, uow)
        uow.orders.add(order)
        uow.commit()
    return order.order_id


def receive_transfer(cmd: ReceiveTransfer, uow: UnitOfWork) -> None:
    """Confirm a shipped transfer reached its destination; its goods stop counting as in transit."""
    with uow:
        order = _order(uow, cmd.order_id)
        order.receive_transfer(cmd.operator, uow.now)
        uow.orders.save(order)
        uow.commit()
