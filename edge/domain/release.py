"""Turn an order's lines into pick tasks, walking locations in pick sequence."""
from dataclasses import dataclass
from typing import Callable

from .events import Event
from .orders import Order
from .picking import UNLOCATED, PickTask

NO_STOCK_REASON = "no stock at release"


@dataclass
class StockSlot:
    """One location holding a sku: what is on hand and what unfinished tasks already claim."""

    location: str
    pick_seq: int
    on_hand: int
    reserved: int = 0
    lot: str = ""
    expiry: str = ""  # GS1 YYMMDD from the site's lot register; "" when the stock has no lot or no known expiry

    @property
    def free(self) -> int:
        return max(0, self.on_hand - self.reserved)


def release_order(order: Order, slots_by_sku: dict[str, list[StockSlot]], next_task_id: Callable[[], str],
                  now: str) -> tuple[list[PickTask], list[Event]]:
    """Plan the order's tasks and mark it released; return the tasks and the events to send.

    Each line takes free stock first-expiry-first-out, then location by location in pick_seq order, one task per
    location and lot (the caller leaves expired stock out: edge.domain.lots.allocatable). A remainder
    no location can cover goes onto the first location holding the sku, where the picker will report it
    short; a sku held nowhere gets a task closed short at once.
    """
    slots = {sku: sorted(s, key=fefo_key) for sku, s in slots_by_sku.items()}
    tasks: list[PickTask] = []
    shorted: list[Event] = []
    for line in sorted(order.lines, key=lambda l: l.line_no):
        line_slots = slots.get(line.sku, [])
        line_tasks: dict[tuple[str, str], PickTask] = {}
        wanted = line.qty
        for slot in line_slots:
            take = min(wanted, slot.free)
            if take <= 0:
                continue
            line_tasks[slot.location, slot.lot] = _task(order, line.line_no, line.sku, slot, take, next_task_id)
            slot.reserved += take  # later lines of the same sku must not count this stock again
            wanted -= take
            if not wanted:
                break
        if wanted and line_slots:
            first = line_slots[0]
            if (first.location, first.lot) in line_tasks:
                line_tasks[first.location, first.lot].qty += wanted
            else:
                line_tasks[first.location, first.lot] = _task(order, line.line_no, line.sku, first, wanted, next_task_id)
            first.reserved += wanted
        elif wanted:
            task = PickTask(next_task_id(), order.order_id, line.line_no, line.sku, UNLOCATED, wanted)
            shorted.append(task.short_at_release(NO_STOCK_REASON))
            line_tasks[UNLOCATED, ""] = task
        tasks.extend(sorted(line_tasks.values(), key=lambda t: t.pick_seq))
    events: list[Event] = [order.mark_released(now), *shorted, *order.track_progress(tasks)]
    return tasks, events


def _task(order: Order, line_no: int, sku: str, slot: StockSlot, qty: int, next_task_id) -> PickTask:
    return PickTask(next_task_id(), order.order_id, line_no, sku, slot.location, qty, pick_seq=slot.pick_seq,
                    lot=slot.lot)


def fefo_key(slot: StockSlot) -> tuple:
    """Order slots first-expiry-first-out (undated stock last), then in walk order."""
    return (_iso_expiry(slot.expiry), slot.pick_seq, slot.location, slot.lot)


def _iso_expiry(expiry: str) -> str:
    # YYMMDD compares as text except day 00 (end of month): read it as the month's day 31, which sorts right.
    return "999999" if not expiry else expiry[:4] + ("31" if expiry[4:] == "00" else expiry[4:])


def alternative_slot(slots: list[StockSlot], short_location: str) -> StockSlot | None:
    """Pick the first location in walk order, other than the short one, with stock no task has claimed."""
    return next((slot for slot in slots if slot.location != short_location and slot.free > 0), None)
