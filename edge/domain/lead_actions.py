"""What a site lead may do about an exception on the floor, and why it needs saying; pure rules, no I/O."""
from dataclasses import dataclass

from protocols.status import TASK_SHORT

from .errors import DomainError, TaskClosed
from .events import Event, TaskShortRecovered
from .orders import Order
from .picking import PickTask
from .release import StockSlot

MIN_REASON_LENGTH = 3

SHORT_PICK, WRONG_SCANS, PRINT_JOB, CANCELLED_MID_PICK, DEAD_LETTER = (
    "short_pick", "wrong_scans", "print_job", "cancelled_mid_pick", "dead_letter")
REFUSED_OP = "refused_op"  # a handheld op refused on replay because the floor moved on; its ref is the op_id
PUT_BACK = "put_back"  # an open put-back task: goods of a cancelled order waiting in PACK; done on the handheld
RETURN_DIFFERENCE = "return_difference"  # a customer return that differed from its RMA; its ref is the row id
EXCEPTION_KINDS = (SHORT_PICK, WRONG_SCANS, PRINT_JOB, CANCELLED_MID_PICK, DEAD_LETTER, REFUSED_OP, PUT_BACK,
                   RETURN_DIFFERENCE)
# What closing an exception without changing the floor means, per kind. Dead letters are replayed or
# discarded through the sync layer's own dead-letter book, which keeps their audit trail.
RESOLUTIONS = {
    SHORT_PICK: ("approve_short",),
    WRONG_SCANS: ("acknowledge",),
    PRINT_JOB: ("acknowledge",),
    CANCELLED_MID_PICK: ("goods_put_back",),
    REFUSED_OP: ("acknowledge",),
    RETURN_DIFFERENCE: ("acknowledge",),
}


class ReasonRequired(DomainError):
    code = "reason_required"

    def __init__(self):
        super().__init__(f"Say why in the reason field (at least {MIN_REASON_LENGTH} characters), then try again.")


class UnknownResolution(DomainError):
    code = "unknown_resolution"

    def __init__(self, kind: str, action: str):
        super().__init__(f"{action!r} does not resolve a {kind!r} exception. Reload the page and use its buttons.")


class AlreadyResolved(DomainError):
    code = "already_resolved"

    def __init__(self, kind: str, ref: str, by: str):
        super().__init__(f"This {kind.replace('_', ' ')} ({ref}) was already resolved by {by}. Reload the page.")


class NoFreeStock(DomainError):
    code = "no_free_stock"

    def __init__(self, sku: str, location: str):
        super().__init__(f"{location} has no free {sku}. Choose another location, or approve the short.")


class UnknownPicker(DomainError):
    code = "unknown_picker"

    def __init__(self, badge: str):
        super().__init__(f"No picker with badge {badge} at this site. Choose a picker from the list.")


@dataclass(frozen=True)
class Resolution:
    """How a lead closed one exception: what they did, who, when and why."""

    kind: str
    ref: str
    action: str
    actor: str
    at: str
    reason: str


def check_reason(reason: str) -> str:
    """Return the reason trimmed, or refuse an action whose why is missing."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ReasonRequired()
    return reason[:500]


def check_resolution(kind: str, action: str) -> None:
    """Refuse an action that does not close this kind of exception."""
    if action not in RESOLUTIONS.get(kind, ()):
        raise UnknownResolution(kind, action)


def release_remainder(task: PickTask, order: Order, slot: StockSlot, new_task_id: str) -> tuple[PickTask, list[Event]]:
    """Move what a short task missed to a new task at another location with free stock.

    The short task keeps only what is still uncovered, so once the new task is picked the order finishes as picked
    (or short by what no location could cover). The centre hears it as task.short_recovered, so it takes back
    the back-order it made for that short instead of filling the same units twice.
    """
    if slot.location == task.location or slot.free < 1:
        raise NoFreeStock(task.sku, slot.location)
    if task.status != TASK_SHORT:
        raise TaskClosed(task.task_id, task.status)
    qty = min(task.remaining, slot.free)
    events = order.reopen(f"line {task.line_no}: {qty} x {task.sku} re-released to {slot.location}")
    task.close_for_rerelease(new_task_id, qty)
    new = PickTask(new_task_id, task.order_id, task.line_no, task.sku, slot.location, qty, pick_seq=slot.pick_seq,
                   lot=slot.lot)
    recovered = TaskShortRecovered(task.task_id, new_task_id, task.order_id, task.line_no, task.sku, qty)
    return new, [recovered, *events]
