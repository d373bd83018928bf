"""Handlers for customer returns: take the centre's RMA, open a return at the desk, count items in, close.

Each returned line books its goods in with a `return` stock delta (restock at the receiving dock, quarantine and
scrap at QUAR, scrap straight out again with a `scrap` delta) in the same transaction as the line and its op_id.
A restocked line gets a putaway task to the item's pick face (else the putaway suggestion); when the device sends
the location it scanned, the task is confirmed in the same step.
"""
from dataclasses import asdict

from edge.domain.catalogue import Item
from edge.domain.errors import DomainError, TrackingRequired, UnknownOrder
from edge.domain.events import StockChanged
from edge.domain.orders import Carton
from edge.domain.putaway import PutawayTask, Slot, suggest_location
from edge.domain.returns import RESTOCK, CustomerReturn, OrderNotShipped, ReturnedLine
from protocols.status import ORDER_SHIPPED

from .idempotency import idempotent
from .putaway import slot_for_scan
from .receiving import check_lot, missing_tracking, planned_slots_of, resolve_scan, task_view
from .receiving_ports import ReceivingRepository
from .return_commands import CloseReturn, RegisterReturn, ReturnItems, StartReturn
from .unit_of_work import Origin, UnitOfWork


class UnknownReturn(DomainError):
    code = "unknown_return"

    def __init__(self, return_id: str):
        super().__init__(f"No return {return_id} at this site. Scan the order number on the parcel to open one.")


class ReturnIdTaken(DomainError):
    code = "return_exists"

    def __init__(self, return_id: str):
        super().__init__(f"Return {return_id} already exists. Open the return again to get a new number.")


def register_return(cmd: RegisterReturn, uow: UnitOfWork) -> dict:
    """Open a return for the centre's RMA (its id is the RMA's); a repeat changes nothing."""
    with uow:
        if uow.returns.get(cmd.rma_id) is not None:
            return {"return_id": cmd.rma_id, "created": False}
        order = _shipped_order(uow, cmd.order_id)
        expected: dict[str, int] = {}
        for line in cmd.lines:
            item = line["item"]
            uow.items.save(Item(item["sku"], item.get("description", ""), list(item.get("gtins", [])),
                                item.get("tracking", "none")))
            expected[line["sku"]] = expected.get(line["sku"], 0) + line["qty"]
        uow.returns.add(CustomerReturn(cmd.rma_id, order.order_id, cmd.rma_id, cmd.customer or order.customer,
                                       expected, created_at=uow.now()))
        uow.commit()
    return {"return_id": cmd.rma_id, "created": True}


@idempotent(status=201)
def start_return(cmd: StartReturn, uow: UnitOfWork) -> dict:
    """Open a return nobody announced, against an order this site shipped, under the id the device chose."""
    if uow.returns.get(cmd.return_id) is not None:
        raise ReturnIdTaken(cmd.return_id)
    order = _shipped_order(uow, cmd.order_id)
    customer_return = CustomerReturn(cmd.return_id, order.order_id, customer=order.customer, created_at=uow.now())
    uow.returns.add(customer_return)
    return {"return": return_view(customer_return, uow),
            "message": f"Return {cmd.return_id} open for order {order.order_id}. Scan each item."}


@idempotent(status=201)
def return_items(cmd: ReturnItems, uow: UnitOfWork) -> dict:
    """Count returned items in with their condition; over what the order shipped is refused."""
    customer_return = _return(uow, cmd.return_id)
    sku, lot, expiry = resolve_scan(uow, cmd)
    missing = missing_tracking(uow, sku, lot, expiry)
    if missing and cmd.condition == RESTOCK:  # back on the shelf, a lot must be known to be picked again
        raise TrackingRequired(sku, missing)
    check_lot(uow, sku, lot, expiry)
    line = ReturnedLine(sku, cmd.qty, lot, expiry, cmd.condition, cmd.reason.strip(), cmd.badge)
    events = customer_return.take(line, shipped_by_sku(uow.cartons.for_order(customer_return.order_id)),
                                  _returned_before(uow, customer_return))
    if lot and expiry:
        uow.receiving.remember_lot(sku, lot, expiry)
    task = None
    if cmd.condition == RESTOCK:
        slot = restock_slot(uow.receiving, uow.returns.pick_faces(sku), sku, expiry, cmd.qty)
        task = PutawayTask(uow.receiving.next_task_id(), customer_return.return_id, sku, lot, expiry, cmd.qty,
                           slot.location if slot else "")
        uow.receiving.add_task(task)
        if cmd.location_barcode:  # restocked at once: the putaway is confirmed by the same scan
            events += task.confirm(slot_for_scan(uow, cmd.location_barcode), cmd.location_reason.strip(), cmd.badge,
                                   uow.now())
            uow.receiving.save_task(task)
    for event in events:
        if isinstance(event, StockChanged):
            uow.receiving.change_stock(event.location, event.sku, event.lot, event.qty_delta)
    uow.returns.save(customer_return)
    uow.emit(events, Origin(cmd.device_id, cmd.op_id, cmd.scanned_at))
    return {"return": return_view(customer_return, uow),
            "putaway_task": task_view(task, uow.locations.get, uow.items.get) if task else None,
            "message": _done_text(line, task)}


@idempotent()
def close_return(cmd: CloseReturn, uow: UnitOfWork) -> dict:
    """Close the return; fewer items than the RMA announced (or unannounced ones) go to the site lead."""
    customer_return = _return(uow, cmd.return_id)
    event = customer_return.close(cmd.badge, uow.now())
    found = customer_return.discrepancies()
    uow.returns.add_exceptions(customer_return, found, uow.now())
    uow.returns.save(customer_return)
    uow.emit([event], Origin(cmd.device_id, cmd.op_id))
    told = "; ".join(f"{d.sku}: {d.returned} of {d.expected} announced" for d in found)
    message = (f"Return {customer_return.return_id} closed with differences ({told}): your site lead is told."
               if found else f"Return {customer_return.return_id} closed.")
    return {"return": return_view(customer_return, uow), "message": message}


def shipped_by_sku(cartons: list[Carton]) -> dict[str, int]:
    """Return what the order's cartons took out of the site, per sku."""
    shipped: dict[str, int] = {}
    for carton in cartons:
        for line in carton.lines:
            shipped[line["sku"]] = shipped.get(line["sku"], 0) + line["qty"]
    return shipped


def restock_slot(receiving: ReceivingRepository, faces: list[str], sku: str, expiry: str, qty: int) -> Slot | None:
    """Choose where restocked goods go: the item's first pick face that takes them, else the putaway suggestion."""
    slots = planned_slots_of(receiving)
    by_name = {slot.location: slot for slot in slots}
    for face in faces:
        slot = by_name.get(face)
        if slot is not None and slot.refusal(sku, expiry, qty) is None:
            return slot
    return suggest_location(slots, sku, expiry, qty)


def return_view(customer_return: CustomerReturn, uow: UnitOfWork) -> dict:
    """Describe a return with what the handheld needs to check scans offline: the order's shipped lines."""
    shipped = shipped_by_sku(uow.cartons.for_order(customer_return.order_id))
    before = _returned_before(uow, customer_return)
    lines = []
    for sku, qty in shipped.items():
        item = uow.items.get(sku) or Item(sku)
        slot = restock_slot(uow.receiving, uow.returns.pick_faces(sku), sku, "", 1)
        lines.append({"sku": sku, "description": item.description, "barcodes": item.barcodes(),
                      "tracking": item.tracking, "shipped_qty": qty,
                      "expected_qty": customer_return.expected.get(sku, 0),
                      "returned_before": before.get(sku, 0), "returned_qty": customer_return.returned_qty(sku),
                      "restock_location": slot.location if slot else "",
                      "restock_barcode": slot.barcode if slot else ""})
    return {"return_id": customer_return.return_id, "rma_id": customer_return.rma_id,
            "order_id": customer_return.order_id, "customer": customer_return.customer,
            "status": customer_return.status, "created_at": customer_return.created_at,
            "closed_at": customer_return.closed_at, "lines": lines, "received": customer_return.summary(),
            "discrepancies": [asdict(d) for d in customer_return.discrepancies()]
            if customer_return.status != "open" else []}


def returnable_order(order_id: str, uow: UnitOfWork) -> dict:
    """Describe a shipped order for a return not yet opened: its lines, with what already came back."""
    order = _shipped_order(uow, order_id)
    return return_view(CustomerReturn("", order.order_id, customer=order.customer), uow)


def _done_text(line: ReturnedLine, task: PutawayTask | None) -> str:
    if task is not None and task.location:
        return f"{line.qty} x {line.sku} restocked at {task.location}."
    if task is not None:
        where = task.suggested or "a free location"
        return f"{line.qty} x {line.sku} back at RECV: put away to {where} (putaway {task.task_id})."
    if line.condition == "quarantine":
        return f"{line.qty} x {line.sku} set aside in quarantine (QUAR) for your site lead."
    return f"{line.qty} x {line.sku} scrapped ({line.reason})."


def _shipped_order(uow: UnitOfWork, order_id: str):
    order = uow.orders.get(order_id)
    if order is None:
        raise UnknownOrder(order_id)
    if order.status != ORDER_SHIPPED:
        raise OrderNotShipped(order_id, order.status)
    return order


def _return(uow: UnitOfWork, return_id: str) -> CustomerReturn:
    customer_return = uow.returns.get(return_id)
    if customer_return is None:
        raise UnknownReturn(return_id)
    return customer_return


def _returned_before(uow: UnitOfWork, customer_return: CustomerReturn) -> dict[str, int]:
    """Return what the order's other returns already took back, per sku."""
    before: dict[str, int] = {}
    for other in uow.returns.for_order(customer_return.order_id):
        if other.return_id != customer_return.return_id:
            for line in other.lines:
                before[line.sku] = before.get(line.sku, 0) + line.qty
    return before
