"""An order released to this site, from its pick tasks through one carton to shipment."""
from dataclasses import dataclass, field

from protocols.status import (ORDER_ALLOCATED, ORDER_CANCELLED, ORDER_PACKED, ORDER_PICKED, ORDER_PICKING,
                              ORDER_RELEASED, ORDER_SHIPPED, ORDER_SHORT, TASK_CANCELLED, TASK_SHORT)

from .catalogue import VIRTUAL_PACK
from .errors import NothingToPack, OrderClosed, OrderNotPacked, OrderNotPicked
from .events import CartonClosed, Event, OrderStatusChanged, StockChanged
from .picking import PickTask


@dataclass
class OrderLine:
    line_no: int
    sku: str
    qty: int


@dataclass
class Carton:
    carton_id: str
    order_id: str
    lines: list[dict]
    closed_at: str = ""
    sscc: str = ""


@dataclass
class Order:
    order_id: str
    customer: str
    priority: int
    requested_ship_date: str
    lines: list[OrderLine] = field(default_factory=list)
    status: str = ORDER_ALLOCATED
    released_at: str = ""
    shipped_at: str | None = None
    cmd_event_id: str = ""

    def mark_released(self, now: str) -> OrderStatusChanged:
        """Record that the order's pick tasks exist."""
        self.released_at = now
        return self._move_to(ORDER_RELEASED, "")

    def track_progress(self, tasks: list[PickTask]) -> list[Event]:
        """Move the order on as its tasks progress: first pick -> picking; all done -> picked or short."""
        if self.status not in (ORDER_ALLOCATED, ORDER_RELEASED, ORDER_PICKING):
            return []
        live = [t for t in tasks if t.status != TASK_CANCELLED]
        if live and all(t.done for t in live):
            short = any(t.status == TASK_SHORT for t in live)
            return [self._move_to(ORDER_SHORT if short else ORDER_PICKED, "")]
        # A task shorted at release was never worked, so it does not count as picking started.
        started = any(t.picked_qty > 0 or (t.status == TASK_SHORT and t.picker) for t in live)
        if started and self.status != ORDER_PICKING:
            return [self._move_to(ORDER_PICKING, "")]
        return []

    def pack(self, carton_id: str, tasks: list[PickTask], now: str) -> tuple[Carton, list[Event]]:
        """Close one carton holding everything picked for the order."""
        if self.status not in (ORDER_PICKED, ORDER_SHORT):
            raise OrderNotPicked(self.order_id, self.status)
        picked: dict[str, int] = {}
        for task in sorted(tasks, key=lambda t: (t.line_no, t.pick_seq)):
            if task.picked_qty:
                picked[task.sku] = picked.get(task.sku, 0) + task.picked_qty
        if not picked:
            raise NothingToPack(self.order_id)
        carton = Carton(carton_id, self.order_id, [{"sku": s, "qty": q} for s, q in picked.items()], now)
        events = [CartonClosed(carton_id, self.order_id, carton.lines), self._move_to(ORDER_PACKED, carton_id)]
        return carton, events

    def ship(self, cartons: list[Carton], now: str) -> list[Event]:
        """Send the packed goods out: they leave the pack area's stock."""
        if self.status != ORDER_PACKED:
            raise OrderNotPacked(self.order_id, self.status)
        shipped: dict[str, int] = {}
        for carton in cartons:
            for line in carton.lines:
                shipped[line["sku"]] = shipped.get(line["sku"], 0) + line["qty"]
        self.shipped_at = now
        events: list[Event] = [StockChanged(VIRTUAL_PACK, sku, -qty, "ship", self.order_id)
                               for sku, qty in shipped.items()]
        return [*events, self._move_to(ORDER_SHIPPED, "")]

    def cancel(self, reason: str, tasks: list[PickTask]) -> list[Event]:
        """Stop work on the order: its unfinished tasks are cancelled."""
        if self.status == ORDER_CANCELLED:
            return []
        if self.status == ORDER_SHIPPED:
            raise OrderClosed(self.order_id, self.status)
        for task in tasks:
            task.cancel()
        return [self._move_to(ORDER_CANCELLED, reason[:256])]

    def _move_to(self, status: str, note: str) -> OrderStatusChanged:
        self.status = status
        return OrderStatusChanged(self.order_id, status, note)
