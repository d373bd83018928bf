"""Handlers for the order's life at the site: release, cancel, close the carton, ship; and item master data."""
from dataclasses import replace

from edge.domain.barcodes import matches_item
from edge.domain.catalogue import Item
from edge.domain.errors import DomainError, NotInOrder, UnknownOrder
from edge.domain.events import CartonClosed
from edge.domain.orders import Order, OrderLine
from edge.domain.lots import allocatable
from edge.domain.release import release_order as plan_release

from protocols.barcode import SSCC, BarcodeError, classify

from .commands import CancelOrder, CloseCarton, ConfirmShipment, ReleaseOrder, UpsertItem
from .idempotency import idempotent
from .pick_checks import site_today
from .picking import apply_stock
from .put_backs import open_put_backs
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
        today = site_today(uow.now(), uow.lots.policy().timezone)
        slots = {sku: allocatable(uow.stock.slots(sku), today) for sku in {line.sku for line in order.lines}}
        tasks, events = plan_release(order, slots, uow.tasks.next_id, uow.now())
        uow.orders.add(order)
        for task in tasks:
            uow.tasks.add(task)
        uow.emit(events)
        uow.commit()
    return True


def cancel_order(cmd: CancelOrder, uow: UnitOfWork) -> None:
    """Cancel the order's unfinished tasks and the order itself, unless it has shipped; picked goods get put-backs."""
    with uow:
        order = uow.orders.get(cmd.order_id)
        if order is None:
            raise UnknownOrder(cmd.order_id)
        tasks = uow.tasks.for_order(cmd.order_id)
        events = order.cancel(cmd.reason, tasks)
        for task in tasks:
            uow.tasks.save(task)
        if events:  # cancelled just now: a repeated cancel opens no second put-back
            open_put_backs(uow, order.order_id, tasks)
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
    """Close a carton of a picked or short order (the items scanned, or all left to pack), with its SSCC and label."""
    order = _order(uow, cmd.order_id)
    tasks, cartons = uow.tasks.for_order(order.order_id), uow.cartons.for_order(order.order_id)
    items = None if cmd.items is None else _items_by_sku(uow, order, order.left_to_pack(tasks, cartons), cmd.items)
    carton, events = order.pack(uow.cartons.next_id(), tasks, uow.now(), cartons, items)
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
    """Ship a packed order from its dock door: its goods leave the pack area."""
    order = _order(uow, cmd.order_id)
    loaded = None if cmd.cartons is None else [_carton_code(code) for code in cmd.cartons]
    events = order.ship(uow.cartons.for_order(order.order_id), uow.now(), loaded, cmd.dock_door)
    apply_stock(uow, events)
    uow.orders.save(order)
    uow.emit(events, Origin(cmd.device_id, cmd.op_id))
    return {"order_id": order.order_id, "order_status": order.status, "dock_door": order.dock_door}


def _order(uow: UnitOfWork, order_id: str) -> Order:
    order = uow.orders.get(order_id)
    if order is None:
        raise UnknownOrder(order_id)
    return order


def _items_by_sku(uow: UnitOfWork, order: Order, left: dict[str, int],
                  scanned: tuple[tuple[str, int], ...]) -> dict[str, int]:
    """Match each scanned barcode (sku or GTIN) to a sku left to pack and add up the quantities."""
    by_sku: dict[str, int] = {}
    for barcode, qty in scanned:
        sku = next((s for s in left if _is_item(uow, s, barcode)), None)
        if sku is None:
            raise NotInOrder(barcode.strip(), order.order_id)
        by_sku[sku] = by_sku.get(sku, 0) + qty
    return by_sku


def _is_item(uow: UnitOfWork, sku: str, barcode: str) -> bool:
    item = uow.items.get(sku)
    gtins = item.gtins if item is not None else []
    if matches_item(barcode, sku, gtins):
        return True
    try:  # a GS1 label (GTIN with lot or serial) names its item by its GTIN
        scan = classify(barcode)
    except BarcodeError:
        return False
    gtin = scan.gs1.get("01") if scan.gs1 else None
    return gtin is not None and matches_item(gtin, sku, gtins)


def _carton_code(code: str) -> str:
    """Read an SSCC label (plain, AIM-prefixed or as element string (00)) as its 18 digits; else keep the text."""
    try:
        scan = classify(code)
    except BarcodeError:
        return code.strip()
    return scan.value if scan.kind == SSCC else code.strip()
