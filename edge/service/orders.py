"""Handlers for the order's life at the site: release, cancel, close the carton, ship; and item master data."""
from dataclasses import replace

from edge.domain.catalogue import Item
from edge.domain.errors import DomainError, UnknownOrder
from edge.domain.events import CartonClosed
from edge.domain.orders import Order, OrderLine
from edge.domain.release import release_order as plan_release

from .commands import CancelOrder, CloseCarton, ConfirmShipment, ReleaseOrder, UpsertItem
from .idempotency import idempotent
from .picking import apply_stock
from .unit_of_work import Origin, UnitOfWork


class InconsistentOrder(DomainError):
    code = "inconsistent_order"


def release_order(cmd: ReleaseOrder, uow: UnitOfWork) -> bool:
    """Create the order's pick tasks; a replayed order.allocated changes nothing. Say whether it was new."""
    with uow:
        if uow.orders.get(cmd.order_id) is not None:
            return False
        for line in cmd.lines:
            if line["item"]["sku"] != line["sku"]:
                raise InconsistentOrder(f"line {line['line_no']} names sku {line['sku']} "
                                        f"but describes item {line['item']['sku']}")
            item = line["item"]
            uow.items.save(Item(item["sku"], item.get("description", ""), list(item.get("gtins", [])),
                                item.get("tracking", "none")))
        order = Order(cmd.order_id, cmd.customer, cmd.priority, cmd.requested_ship_date,
                      [OrderLine(l["line_no"], l["sku"], l["qty"]) for l in cmd.lines], cmd_event_id=cmd.cmd_event_id)
        slots = {sku: uow.stock.slots(sku) for sku in {line.sku for line in order.lines}}
        tasks, events = plan_release(order, slots, uow.tasks.next_id, uow.now())
        uow.orders.add(order)
        for task in tasks:
            uow.tasks.add(task)
        uow.emit(events)
        uow.commit()
    return True


def cancel_order(cmd: CancelOrder, uow: UnitOfWork) -> None:
    """Cancel the order's unfinished tasks and the order itself, unless it has shipped."""
    with uow:
        order = uow.orders.get(cmd.order_id)
        if order is None:
            raise UnknownOrder(cmd.order_id)
        tasks = uow.tasks.for_order(cmd.order_id)
        events = order.cancel(cmd.reason, tasks)
        for task in tasks:
            uow.tasks.save(task)
        uow.orders.save(order)
        uow.emit(events)
        uow.commit()


def upsert_item(cmd: UpsertItem, uow: UnitOfWork) -> None:
    """Store an item's description and GTINs as the centre knows them."""
    with uow:
        uow.items.save(Item(cmd.sku, cmd.description, list(cmd.gtins), cmd.tracking))
        uow.commit()


@idempotent(status=201)
def close_carton(cmd: CloseCarton, uow: UnitOfWork) -> dict:
    """Pack everything picked for a picked or short order into one carton, with its SSCC and label job."""
    order = _order(uow, cmd.order_id)
    carton, events = order.pack(uow.cartons.next_id(), uow.tasks.for_order(order.order_id), uow.now())
    # Same transaction as the carton: an SSCC is never issued for a carton that was not closed, nor lost.
    carton.sscc = uow.labels.label_carton(carton, order)
    if carton.sscc:
        events = [replace(e, sscc=carton.sscc) if isinstance(e, CartonClosed) else e for e in events]
    uow.cartons.add(carton)
    uow.orders.save(order)
    uow.emit(events, Origin(cmd.device_id, cmd.op_id))
    return {"carton_id": carton.carton_id, "order_id": order.order_id, "lines": carton.lines,
            "order_status": order.status, "sscc": carton.sscc}


@idempotent()
def confirm_shipment(cmd: ConfirmShipment, uow: UnitOfWork) -> dict:
    """Ship a packed order: its goods leave the pack area."""
    order = _order(uow, cmd.order_id)
    events = order.ship(uow.cartons.for_order(order.order_id), uow.now())
    apply_stock(uow, events)
    uow.orders.save(order)
    uow.emit(events, Origin(cmd.device_id, cmd.op_id))
    return {"order_id": order.order_id, "order_status": order.status}


def _order(uow: UnitOfWork, order_id: str) -> Order:
    order = uow.orders.get(order_id)
    if order is None:
        raise UnknownOrder(order_id)
    return order
