"""Take back a back-order when the site that shorted fills the short after all; pure rules, no I/O.

A short pick makes a back-order part at another site (allocation rule 7). If the shorting site's lead then
releases the missing quantity to a new task there (task.short_recovered), both would fill the same units.
What can still be stopped is stopped; what cannot is left alone and said, so ops see the overage.
"""
from dataclasses import dataclass

from protocols.status import ORDER_ALLOCATED, ORDER_CANCELLED, ORDER_RECEIVED, ORDER_RELEASED

from .orders import CENTRAL_SOURCE, ORDER_CANCEL_REQUESTED, ORDER_ON_HOLD, Order

WAITING = (ORDER_RECEIVED, ORDER_ON_HOLD)          # no site has it: change it here and now
NOT_STARTED = (ORDER_ALLOCATED, ORDER_RELEASED)    # at its site, nothing picked yet: a cancel can still stop it
STOPPED = (ORDER_CANCELLED, ORDER_CANCEL_REQUESTED)

CANCELLED, REDUCED, CANCEL_SENT, KEPT, OVER = "cancelled", "reduced", "cancel_sent", "kept", "over"


@dataclass(frozen=True)
class TakeBack:
    """What taking back part of one back-order did: outcome, and how many units it covered."""

    part_id: str
    part_site: str | None
    qty: int
    outcome: str


def take_back(part: Order, qty: int, reason: str, now: str) -> TakeBack | None:
    """Take up to qty units back from a one-line back-order part; None when it has nothing left to give.

    Waiting: reduced, or cancelled when nothing is left. At its site and not started: cancelled (the
    service sends order.cancelled down) once every unit is recovered; a part only partly recovered is
    kept whole, since a site cannot be told to pick less (KEPT: those units go over). Picking or later:
    never undone (OVER).
    """
    line = part.lines[0]
    left = line.qty - part.backorder_recovered
    if part.status in STOPPED or left < 1:
        return None
    taken = min(qty, left)
    if part.status in WAITING:
        if taken == line.qty:
            part.cancel(reason, CENTRAL_SOURCE, now)
            return TakeBack(part.order_id, part.site_id, taken, CANCELLED)
        line.qty -= taken
        part.note_event(f"{taken} x {line.sku} taken back: {reason}", now)
        return TakeBack(part.order_id, part.site_id, taken, REDUCED)
    part.backorder_recovered += taken
    if part.status in NOT_STARTED and line.picked_qty == 0:
        if part.backorder_recovered == line.qty:
            part.cancel(reason, CENTRAL_SOURCE, now)
            return TakeBack(part.order_id, part.site_id, taken, CANCEL_SENT)
        return TakeBack(part.order_id, part.site_id, taken, KEPT)
    return TakeBack(part.order_id, part.site_id, taken, OVER)


def recovery_note(site_id: str, sku: str, done: TakeBack) -> str:
    """Say on the shorted order what became of its back-order, in words ops can act on."""
    where = f"back-order {done.part_id}" + (f" at {done.part_site}" if done.part_site else "")
    if done.outcome == CANCELLED:
        return f"{done.qty} x {sku} short recovered at {site_id}: {where} cancelled"
    if done.outcome == REDUCED:
        return f"{done.qty} x {sku} short recovered at {site_id}: {where} reduced by {done.qty}"
    if done.outcome == CANCEL_SENT:
        return f"{done.qty} x {sku} short recovered at {site_id}: cancel sent for {where}"
    if done.outcome == KEPT:
        return (f"short recovered at {site_id} for only part of {where}, which still picks in full: "
                f"{_units(done.qty)} over unless you change that order")
    return f"short recovered at {site_id} after the {where} was picked: {_units(done.qty)} over"


def _units(qty: int) -> str:
    return f"{qty} unit" if qty == 1 else f"{qty} units"
