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

    @property
    def free(self) -> int:
        return max(0, self.on_hand - self.reserved)


def release_order(order: Order, slots_by_sku: dict[str, list[StockSlot]], next_task_id: Callable[[], str],
                  now: str) -> tuple[list[PickTask], list[Event]]:
    """Plan the order's tasks and mark it released; return the tasks and the events to send.

    Each line takes free stock location by location in pick_seq order, one task per location. A remainder
    no location can cover goes onto the first location holding the sku, where the picker will report it
    short; a sku held nowhere gets a task closed short at once.
    """
    slots = {sku: sorted(s, key=lambda s: (s.pick_seq, s.location)) for sku, s in slots_by_sku.items()}
    tasks: list[PickTask] = []
    shorted: list[Event] = []
    for line in sorted(order.lines, key=lambda l: l.line_no):
        line_slots = slots.get(line.sku, [])
        line_tasks: dict[str, PickTask] = {}
        wanted = line.qty
        for slot in line_slots:
            take = min(wanted, slot.free)
            if take <= 0:
                continue
            line_tasks[slot.location] = _task(order, line.line_no, line.sku, slot, take, next_task_id)
            slot.reserved += take  # later lines of the same sku must not count this stock again
            wanted -= take
            if not wanted:
                break
        if wanted and line_slots:
            first = line_slots[0]
            if first.location in line_tasks:
                line_tasks[first.location].qty += wanted
            else:
                line_tasks[first.location] = _task(order, line.line_no, line.sku, first, wanted, next_task_id)
            first.reserved += wanted
        elif wanted:
            task = PickTask(next_task_id(), order.order_id, line.line_no, line.sku, UNLOCATED, wanted)
            shorted.append(task.short_at_release(NO_STOCK_REASON))
            line_tasks[UNLOCATED] = task
        tasks.extend(sorted(line_tasks.values(), key=lambda t: t.pick_seq))
    events: list[Event] = [order.mark_released(now), *shorted, *order.track_progress(tasks)]
    return tasks, events


def _task(order: Order, line_no: int, sku: str, slot: StockSlot, qty: int, next_task_id) -> PickTask:
    return PickTask(next_task_id(), order.order_id, line_no, sku, slot.location, qty, pick_seq=slot.pick_seq)


def alternative_slot(slots: list[StockSlot], short_location: str) -> StockSlot | None:
    """Pick the first location in walk order, other than the short one, with stock no task has claimed."""
    return next((slot for slot in slots if slot.location != short_location and slot.free > 0), None)
