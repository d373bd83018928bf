"""Apply task.short_recovered: the site that shorted fills the short itself, so its back-order is taken back."""
import logging

from central.domain.errors import OrderNotAtSite
from central.domain.short_recovery import recovery_note, take_back

from .commands import IngestSiteEvent
from .handlers import send_events
from .unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def apply_short_recovered(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    """Reopen the recovered units on the shorted line and take them back from the back-order made for that short.

    Exactly once: it runs inside the sync inbox's transaction like every site event.
    """
    order = uow.orders.get(data["order_id"])
    if order is None:
        raise OrderNotAtSite(data["order_id"], cmd.site_id)
    sku, qty = data["sku"], data["qty"]
    reopened = order.reopen_short(cmd.site_id, data["line_no"], sku, qty, uow.now)
    if reopened < qty:
        log.warning("site %s recovered %s of %s on %s line %s, which was short by only %s",
                    cmd.site_id, qty, sku, order.order_id, data["line_no"], reopened)
    reason = f"short of task {data['task_id']} filled at {cmd.site_id} by task {data['new_task_id']}"
    left = qty
    for part in uow.orders.backorders(order.order_id, data["task_id"]):
        done = take_back(part, left, reason, uow.now) if left else None
        if done is None:
            continue
        left -= done.qty
        send_events(part, uow)
        uow.orders.save(part)
        _roll_up_parent(part.parent_order_id, order.order_id, uow)
        order.note_event(recovery_note(cmd.site_id, sku, done), uow.now)
    if left:
        order.note_event(f"{left} x {sku} short recovered at {cmd.site_id}: line {data['line_no']} is picked again",
                         uow.now)
    uow.orders.save(order)


def _roll_up_parent(parent_id: str | None, shorted_id: str, uow: UnitOfWork) -> None:
    """Close a split parent whose last open part was just cancelled here."""
    if parent_id is None or parent_id == shorted_id:
        return
    parent = uow.orders.get(parent_id)
    if parent is not None:
        parent.roll_up(uow.orders.parts(parent_id), uow.now)
        uow.orders.save(parent)
