"""Handlers for the lead's actions on the exceptions queue; each is audited (who, when, why) in its transaction."""
from edge.domain.errors import UnknownOrder, UnknownTask
from edge.domain.lead_actions import (SHORT_PICK, AlreadyResolved, NoFreeStock, Resolution, UnknownPicker,
                                      check_reason, check_resolution, release_remainder)
from edge.domain.lots import allocatable
from edge.domain.picking import PickTask

from .lead_commands import CancelOrderAtSite, ReassignTask, ReleaseShortTask, ResolveException
from .put_backs import open_put_backs
from .pick_checks import site_today
from .unit_of_work import UnitOfWork


def reassign_task(cmd: ReassignTask, uow: UnitOfWork) -> dict:
    """Hand a task to another picker (or the pool); ops the old holder still sends are refused as lease_lost."""
    reason = check_reason(cmd.reason)
    with uow:
        task = _task(uow, cmd.task_id)
        if cmd.to_badge and uow.pickers.get(cmd.to_badge) is None:
            raise UnknownPicker(cmd.to_badge)
        before = task.picker
        task.reassign(cmd.to_badge or None)
        uow.tasks.save(task)
        uow.audit.record(cmd.actor, "task.reassigned", f"task:{task.task_id}", reason,
                         {"from": before, "to": cmd.to_badge or None})
        uow.commit()
    target = f"to {cmd.to_badge}" if cmd.to_badge else "back to the pool"
    return {"task_id": task.task_id, "picker": task.picker, "status": task.status,
            "message": f"Task {task.task_id} handed {target}."}


def release_short_task(cmd: ReleaseShortTask, uow: UnitOfWork) -> dict:
    """Move a short task's missing quantity to a new task at a location with free stock; the order picks again."""
    reason = check_reason(cmd.reason)
    with uow:
        task = _task(uow, cmd.task_id)
        order = uow.orders.get(task.order_id)
        today = site_today(uow.now(), uow.lots.policy().timezone)  # FEFO: the first good lot there
        slot = next((s for s in allocatable(uow.stock.slots(task.sku), today)
                     if s.location == cmd.location and s.free > 0), None)
        if slot is None:
            raise NoFreeStock(task.sku, cmd.location)
        new_task, events = release_remainder(task, order, slot, uow.tasks.next_id())
        uow.tasks.save(task)
        uow.tasks.add(new_task)
        uow.orders.save(order)
        _resolve(uow, SHORT_PICK, task.task_id, "released_elsewhere", cmd.actor, reason)
        uow.audit.record(cmd.actor, "task.released_elsewhere", f"task:{task.task_id}", reason,
                         {"new_task": new_task.task_id, "location": slot.location, "qty": new_task.qty})
        uow.emit(events)
        uow.commit()
    return {"task_id": task.task_id, "new_task_id": new_task.task_id, "location": new_task.location,
            "qty": new_task.qty, "order_status": order.status,
            "message": f"{new_task.qty} x {new_task.sku} released as task {new_task.task_id} at {new_task.location}."}


def cancel_order_at_site(cmd: CancelOrderAtSite, uow: UnitOfWork) -> dict:
    """Cancel an order and its unfinished tasks; the centre hears it as order.status_changed."""
    reason = check_reason(cmd.reason)
    with uow:
        order = uow.orders.get(cmd.order_id)
        if order is None:
            raise UnknownOrder(cmd.order_id)
        tasks = uow.tasks.for_order(order.order_id)
        events = order.cancel(f"cancelled at the site by {cmd.actor}: {reason}", tasks)
        for task in tasks:
            uow.tasks.save(task)
        if events:
            open_put_backs(uow, order.order_id, tasks)
        uow.orders.save(order)
        uow.audit.record(cmd.actor, "order.cancelled", f"order:{order.order_id}", reason)
        uow.emit(events)
        uow.commit()
    return {"order_id": order.order_id, "status": order.status, "message": f"Order {order.order_id} cancelled."}


def resolve_exception(cmd: ResolveException, uow: UnitOfWork) -> dict:
    """Close an exception that needs no change on the floor (approve a short, acknowledge wrong scans...)."""
    reason = check_reason(cmd.reason)
    check_resolution(cmd.kind, cmd.action)
    with uow:
        _resolve(uow, cmd.kind, cmd.ref, cmd.action, cmd.actor, reason)
        uow.audit.record(cmd.actor, f"{cmd.kind}.{cmd.action}", f"{cmd.kind}:{cmd.ref}", reason)
        uow.commit()
    return {"kind": cmd.kind, "ref": cmd.ref, "action": cmd.action,
            "message": f"{cmd.kind.replace('_', ' ').capitalize()} {cmd.ref}: {cmd.action.replace('_', ' ')}."}


def _task(uow: UnitOfWork, task_id: str) -> PickTask:
    task = uow.tasks.get(task_id)
    if task is None:
        raise UnknownTask(task_id)
    return task


def _resolve(uow: UnitOfWork, kind: str, ref: str, action: str, actor: str, reason: str) -> None:
    done = uow.resolutions.get(kind, ref)
    if done is not None:
        raise AlreadyResolved(kind, ref, done.actor)
    uow.resolutions.add(Resolution(kind, ref, action, actor, uow.now(), reason))
