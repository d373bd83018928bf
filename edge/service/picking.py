"""Handlers for the picker's walk: sign in, take the next task, scan the location, pick or report short."""
import secrets

from edge.domain.catalogue import Item, Location, Traced, decoy_pin_hash, token_digest, verify_pin
from edge.domain.errors import SignInFailed, UnknownTask, WrongItem, WrongLocation
from edge.domain.events import Event, StockChanged
from edge.domain.enrolment import minutes_later
from edge.domain.picking import UNLOCATED, PickTask
from edge.domain.lots import allocatable
from edge.domain.release import alternative_slot

from .commands import AssignNextTask, ConfirmPick, LeaseTasks, PostponeTask, ReportShortPick, ScanLocation, SignIn
from .counts import request_count
from .idempotency import idempotent
from .outcomes import task_view
from .pick_checks import check_pick, pick_checks_view, site_today
from .replenishment import plan_replenishment
from .unit_of_work import Origin, ScanError, UnitOfWork


def sign_in(cmd: SignIn, uow: UnitOfWork) -> dict:
    """Open a session for a picker whose badge and PIN match."""
    with uow:
        picker = uow.pickers.get(cmd.badge)
        pin_ok = verify_pin(cmd.pin, picker.pin_hash if picker else decoy_pin_hash())
        if picker is None or not pin_ok:
            raise SignInFailed()
        token = secrets.token_urlsafe(32)
        uow.sessions.add(token_digest(token), picker.badge, cmd.device_id, uow.now())
        uow.commit()
    return {"token": token, "picker": {"badge": picker.badge, "name": picker.name}}


def assign_next_task(cmd: AssignNextTask, uow: UnitOfWork) -> dict:
    """Give the picker their unfinished task, else the most urgent open one."""
    with uow:
        task = uow.tasks.next_for(cmd.badge)
        if task is None:
            return {"task": None, "message": "No tasks waiting. Check again in a minute."}
        task.assign(cmd.badge, cmd.device_id)
        uow.tasks.save(task)
        uow.commit()
        view = describe(task, uow)
    step = ("Scan the item" if task.next_step == "scan_item"
            else "Go to {loc} and scan the item" if view["next_step"] == "scan_item"  # no location scan asked
            else "Go to {loc} and scan the location label")
    return {"task": view, "message": f"{step.format(loc=task.location)}: {task.remaining} x {task.sku}."}


def lease_tasks(cmd: LeaseTasks, uow: UnitOfWork) -> dict:
    """Lease up to `limit` tasks to the picker's device, with what it needs to check scans offline."""
    with uow:
        now = uow.now()
        expires_at = minutes_later(now, cmd.lease_minutes)
        tasks = uow.tasks.leasable(cmd.badge, now, cmd.limit)
        for task in tasks:
            task.lease(cmd.badge, cmd.device_id, now, expires_at)
            uow.tasks.save(task)
        uow.commit()
        views = [describe(task, uow) for task in tasks]
    message = (f"{len(views)} tasks on this handheld: they can be picked without Wi-Fi until {expires_at}."
               if views else "No tasks waiting. Check again in a minute.")
    return {"tasks": views, "lease_expires_at": expires_at if views else None, "message": message}


@idempotent()
def postpone_task(cmd: PostponeTask, uow: UnitOfWork) -> dict:
    """Give a task back to the pool; the picker gets it again only when nothing else waits."""
    task = _task(uow, cmd.task_id, cmd.lease_epoch)
    task.postpone(cmd.badge)
    uow.tasks.save(task)
    return {"task": describe(task, uow), "message": f"Task {task.task_id} put back. Take your next task."}


@idempotent()
def scan_location(cmd: ScanLocation, uow: UnitOfWork) -> dict:
    """Confirm the picker is at the task's location; a wrong label is refused and counted."""
    task = _task(uow, cmd.task_id, cmd.lease_epoch)
    location = uow.locations.get(task.location) or Location(task.location, task.location)
    try:
        task.scan_location(cmd.badge, cmd.barcode, location)
    except WrongLocation as err:
        _count_rejected(uow, cmd, task, "location", err)
        raise
    uow.tasks.save(task)
    return {"task": describe(task, uow),
            "message": f"Location {task.location} confirmed. Scan {task.sku} and enter the quantity."}


@idempotent()
def confirm_pick(cmd: ConfirmPick, uow: UnitOfWork) -> dict:
    """Take the scanned item from the location; a wrong item is refused and counted."""
    task = _task(uow, cmd.task_id, cmd.lease_epoch)
    item = uow.items.get(task.sku) or Item(task.sku)
    checked = check_pick(uow, task, item, cmd)  # verification profile, FEFO and expiry
    try:
        events = task.pick(cmd.badge, checked.barcode, item, cmd.qty, checked.on_hand,
                           Traced(cmd.lot, cmd.serial, cmd.expiry), checked.stock_lot)
    except WrongItem as err:
        _count_rejected(uow, cmd, task, "item", err)
        raise
    order_status = _record_progress(uow, cmd, task, events)
    plan_replenishment(uow, task.location, task.sku)
    message = (f"Task done: {task.picked_qty} x {task.sku}. Press Next task." if task.done
               else f"Picked {cmd.qty} x {task.sku}. {task.remaining} left: scan the next one.")
    return {"task": describe(task, uow), "order_status": order_status, "message": message}


@idempotent()
def report_short_pick(cmd: ReportShortPick, uow: UnitOfWork) -> dict:
    """Pick what was found and close the task short by the rest."""
    task = _task(uow, cmd.task_id, cmd.lease_epoch)
    short_by = task.remaining - cmd.qty_found
    events = task.report_short(cmd.badge, cmd.qty_found, cmd.reason,
                               uow.stock.on_hand(task.location, task.sku, task.lot))
    order_status = _record_progress(uow, cmd, task, events)
    alternative = _alternative(uow, task) if short_by else None
    if short_by and task.location != UNLOCATED:  # the record was wrong there: count it, refill the face
        request_count(uow, task.location, "short_pick")
        plan_replenishment(uow, task.location, task.sku, short=True)
    message = (f"Short pick recorded: {short_by} x {task.sku} missing. Press Next task." if short_by
               else "All found after all: task done. Press Next task.")
    if alternative:
        message += (f" {task.sku} is also at {alternative['location']} ({alternative['free']} free):"
                    " tell your site lead if the customer needs it.")
    return {"task": describe(task, uow), "order_status": order_status, "alternative": alternative,
            "message": message}


def describe(task: PickTask, uow: UnitOfWork) -> dict:
    location, item = uow.locations.get(task.location), uow.items.get(task.sku)
    return {**task_view(task, location, item), **pick_checks_view(uow, task, location, item)}


def apply_stock(uow: UnitOfWork, events: list[Event]) -> None:
    """Keep the stock table equal to the sum of the stock deltas the site has sent."""
    for event in events:
        if isinstance(event, StockChanged):
            uow.stock.change(event.location, event.sku, event.qty_delta, event.lot)


def _task(uow: UnitOfWork, task_id: str, lease_epoch: int | None = None) -> PickTask:
    task = uow.tasks.get(task_id)
    if task is None:
        raise UnknownTask(task_id)
    task.check_lease(lease_epoch)
    return task


def _alternative(uow: UnitOfWork, task: PickTask) -> dict | None:
    today = site_today(uow.now(), uow.lots.policy().timezone)
    slot = alternative_slot(allocatable(uow.stock.slots(task.sku), today), task.location)
    if slot is None:
        return None
    location = uow.locations.get(slot.location)
    return {"location": slot.location, "location_barcode": location.barcode if location else "",
            "free": slot.free}


def _origin(cmd) -> Origin:
    return Origin(cmd.device_id, cmd.op_id, cmd.scanned_at)


def _count_rejected(uow: UnitOfWork, cmd, task: PickTask, step: str, err: WrongLocation | WrongItem) -> None:
    event = task.rejected_scan(cmd.badge, step, err)
    uow.scan_errors.add(ScanError(task.task_id, step, event.expected, event.scanned, cmd.badge, cmd.device_id,
                                  uow.now()))
    uow.emit([event], _origin(cmd))


def _record_progress(uow: UnitOfWork, cmd, task: PickTask, events: list[Event]) -> str:
    apply_stock(uow, events)
    uow.tasks.save(task)
    order = uow.orders.get(task.order_id, lines=False)  # its status is what tracking progress needs
    if order.may_move_on(task):  # most picks leave a picking order as it is: no need to read all its tasks
        events = [*events, *order.track_progress(uow.tasks.for_order(order.order_id))]
        uow.orders.save(order)
    uow.emit(events, _origin(cmd))
    return order.status
