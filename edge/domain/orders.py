"""An order released to this site, from its pick tasks through its cartons to shipment."""
from dataclasses import dataclass, field

from protocols.status import (ORDER_ALLOCATED, ORDER_CANCELLED, ORDER_PACKED, ORDER_PICKED, ORDER_PICKING,
                              ORDER_RELEASED, ORDER_SHIPPED, ORDER_SHORT, TASK_CANCELLED, TASK_SHORT)

from .catalogue import VIRTUAL_PACK
from .errors import (CartonsMissing, NothingToPack, NotInOrder, NotInShipment, OrderClosed, OrderNotPacked,
                     OrderNotPicked, TooManyToPack)
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
    dock_door: str = ""

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

    def may_move_on(self, changed: PickTask) -> bool:
        """Say whether track_progress could move the order now that this task changed (else skip its tasks' read)."""
        # An order already picking, with this task still unfinished, is neither newly started nor all done.
        return self.status in (ORDER_ALLOCATED, ORDER_RELEASED) or self.status == ORDER_PICKING and changed.done

    def reopen(self, note: str) -> list[Event]:
        """Put a short order back to picking because part of it has a new task; a live order stays as it is."""
        if self.status in (ORDER_PACKED, ORDER_SHIPPED, ORDER_CANCELLED):
            raise OrderClosed(self.order_id, self.status)
        if self.status in (ORDER_SHORT, ORDER_PICKED):
            return [self._move_to(ORDER_PICKING, note[:256])]
        return []

    def pack(self, carton_id: str, tasks: list[PickTask], now: str, closed: tuple[Carton, ...] | list[Carton] = (),
             items: dict[str, int] | None = None) -> tuple[Carton, list[Event]]:
        """Close one carton with the given quantities by sku, or with all that is picked and not yet packed.

        The order is packed once everything picked is in cartons.
        """
        if self.status not in (ORDER_PICKED, ORDER_SHORT):
            raise OrderNotPicked(self.order_id, self.status)
        to_pack = self.left_to_pack(tasks, closed)
        if not to_pack:
            raise NothingToPack(self.order_id)
        if items is None:
            packing = to_pack
        else:
            for sku, qty in items.items():
                if sku not in to_pack:
                    raise NotInOrder(sku, self.order_id)
                if qty > to_pack[sku]:
                    raise TooManyToPack(sku, to_pack[sku], self.order_id)
            packing = {sku: qty for sku, qty in items.items() if qty > 0}
            if not packing:
                raise NothingToPack(self.order_id)
        carton = Carton(carton_id, self.order_id, [{"sku": s, "qty": q} for s, q in packing.items()], now)
        events: list[Event] = [CartonClosed(carton_id, self.order_id, carton.lines)]
        if all(packing.get(sku, 0) == qty for sku, qty in to_pack.items()):
            events.append(self._move_to(ORDER_PACKED, carton_id))
        return carton, events

    @staticmethod
    def left_to_pack(tasks: list[PickTask], cartons: list[Carton]) -> dict[str, int]:
        """Return the quantity by sku that is picked but in no carton yet, in line order."""
        left: dict[str, int] = {}
        for task in sorted(tasks, key=lambda t: (t.line_no, t.pick_seq)):
            if task.picked_qty:
                left[task.sku] = left.get(task.sku, 0) + task.picked_qty
        for carton in cartons:
            for line in carton.lines:
                left[line["sku"]] = left.get(line["sku"], 0) - line["qty"]
        return {sku: qty for sku, qty in left.items() if qty > 0}

    def ship(self, cartons: list[Carton], now: str, loaded: list[str] | None = None,
             dock_door: str = "") -> list[Event]:
        """Send the packed goods out: they leave the pack area's stock.

        When the cartons loaded are given (carton id or SSCC), they must be exactly the order's cartons.
        """
        if self.status != ORDER_PACKED:
            raise OrderNotPacked(self.order_id, self.status)
        if loaded is not None:
            _check_loaded(self.order_id, cartons, loaded)
        shipped: dict[str, int] = {}
        for carton in cartons:
            for line in carton.lines:
                shipped[line["sku"]] = shipped.get(line["sku"], 0) + line["qty"]
        self.shipped_at = now
        self.dock_door = dock_door
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


def _check_loaded(order_id: str, cartons: list[Carton], loaded: list[str]) -> None:
    """Refuse a load that holds a carton of another order, or misses one of this order's cartons."""
    by_code = {c.carton_id.upper(): c.carton_id for c in cartons}
    by_code.update({c.sscc: c.carton_id for c in cartons if c.sscc})
    seen: set[str] = set()
    for code in loaded:
        value = code.strip()
        carton_id = by_code.get(value.upper())
        if carton_id is None:
            raise NotInShipment(value, order_id)
        seen.add(carton_id)
    missing = [c.carton_id for c in cartons if c.carton_id not in seen]
    if missing:
        raise CartonsMissing(order_id, missing)

