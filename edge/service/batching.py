"""Handlers of waves and batch picking: release a wave, claim a batch, pick into totes, close, stop.

A batch pick is the single pick's confirm (same stock deltas, outbox rows, lease fencing and op_id record) with a
put-to-tote check in front of it: this module calls that very handler inside its own transaction.
"""
from edge.domain.batch_errors import BadCart, NothingToWave, NotInBatch, NotWaveable, UnknownBatch
from edge.domain.batching import (MAX_CART_SLOTS, Batch, Wave, WaveCandidate, WaveRule, choose_orders, plan_batches,
                                  walk)
from edge.domain.errors import UnknownTask
from edge.domain.lead_actions import check_reason
from edge.domain.picking import PickTask

from . import picking
from .batch_commands import CancelBatch, CloseBatch, ConfirmBatchPick, ReleaseWave, TakeNextBatch
from .commands import ConfirmPick
from .idempotency import idempotent
from .unit_of_work import Origin, UnitOfWork

NO_BATCH = "No batch waiting. Check again in a minute, or take single picks."


def release_wave(cmd: ReleaseWave, uow: UnitOfWork) -> dict:
    """Put the listed orders, or those the rule takes, into a wave cut into batches of cart_slots orders."""
    if not 1 <= cmd.cart_slots <= MAX_CART_SLOTS:
        raise BadCart(cmd.cart_slots, MAX_CART_SLOTS)
    with uow:
        candidates = uow.batches.wave_candidates()
        if cmd.order_ids:
            by_id = {c.order_id: c for c in candidates}
            wanted = list(dict.fromkeys(cmd.order_ids))
            refused = [order_id for order_id in wanted if order_id not in by_id]
            if refused:
                raise NotWaveable(refused)
            chosen, rule = sorted((by_id[o] for o in wanted), key=_urgency), "picked by hand"
        else:
            wave_rule = WaveRule(cmd.ship_by, cmd.max_priority, cmd.max_orders)
            chosen, rule = choose_orders(candidates, wave_rule), wave_rule.describe()
        if not chosen:
            raise NothingToWave(rule)
        now, actor = uow.now(), cmd.actor or "system"
        wave = Wave(uow.batches.next_wave_id(), rule, cmd.cart_slots, actor, now)
        batches = plan_batches(wave.wave_id, [c.order_id for c in chosen], cmd.cart_slots,
                               uow.batches.next_batch_id, now)
        uow.batches.add_wave(wave)
        for batch in batches:
            uow.batches.add(batch)
            uow.emit(batch.released(actor))
        if cmd.actor:
            uow.audit.record(cmd.actor, "wave.released", wave.wave_id, cmd.reason[:500],
                             {"rule": rule, "cart_slots": cmd.cart_slots,
                              "batches": {b.batch_id: b.order_ids for b in batches}})
        uow.commit()
    return {"wave_id": wave.wave_id, "rule": rule, "cart_slots": cmd.cart_slots,
            "batches": [{"batch_id": b.batch_id, "orders": b.order_ids} for b in batches],
            "message": f"Wave {wave.wave_id} released: {len(chosen)} order(s) in {len(batches)} batch(es) "
                       f"of up to {cmd.cart_slots} totes."}


def cancel_batch(cmd: CancelBatch, uow: UnitOfWork) -> dict:
    """Stop a batch nobody is finishing: its unfinished picks go back to single picking."""
    reason = check_reason(cmd.reason)
    with uow:
        batch = _batch(uow, cmd.batch_id)
        tasks = _tasks(uow, batch)
        events = batch.cancel(tasks, cmd.actor, uow.now())
        for task in tasks:
            uow.tasks.save(task)
        uow.batches.save(batch)
        uow.emit(events)
        uow.audit.record(cmd.actor, "batch.cancelled", batch.batch_id, reason, {"orders": batch.order_ids})
        uow.commit()
    return {"batch_id": batch.batch_id, "status": batch.status,
            "message": f"Batch {batch.batch_id} stopped: its open picks are back with single picking."}


def take_next_batch(cmd: TakeNextBatch, uow: UnitOfWork) -> dict:
    """Give the picker their batch in progress, else the oldest open one, with its walk sorted by location."""
    with uow:
        batch = uow.batches.next_for(cmd.badge)
        if batch is None:
            return {"batch": None, "message": NO_BATCH}
        tasks = _tasks(uow, batch)
        batch.claim(cmd.badge, cmd.device_id, tasks, uow.now())
        for task in tasks:
            uow.tasks.save(task)
        uow.batches.save(batch)
        uow.commit()
        view = batch_view(batch, tasks, uow)
    empty = [str(s["slot"]) for s in view["slots"] if not s["tote"]]
    message = (f"Batch {batch.batch_id}: {len(batch.slots)} orders, {view['total']} picks. "
               + (f"Put an empty tote in slot(s) {', '.join(empty)}, then go to {_next_location(view)}."
                  if empty else f"Go to {_next_location(view)}."))
    return {"batch": view, "message": message}


@idempotent()
def confirm_batch_pick(cmd: ConfirmBatchPick, uow: UnitOfWork) -> dict:
    """Check the tote the pick goes into, then confirm the pick exactly as a single pick is confirmed."""
    batch = _batch(uow, cmd.batch_id)
    task = uow.tasks.get(cmd.task_id)
    if task is None:
        raise UnknownTask(cmd.task_id)
    if task.order_id not in batch.order_ids:
        raise NotInBatch(f"Task {task.task_id}", batch.batch_id)
    item, location = uow.items.get(task.sku), uow.locations.get(task.location)
    not_totes = tuple([*(item.barcodes() if item else [task.sku]), *([location.barcode] if location else [])])
    slot = batch.put(cmd.badge, task.order_id, cmd.tote, uow.batches.tote_in_use(cmd.tote.strip().upper(),
                                                                                   batch.batch_id), not_totes)
    # The single pick's handler, unwrapped from its own op record: this op's record is written once, below it.
    answer = picking.confirm_pick.__wrapped__(ConfirmPick(
        cmd.task_id, cmd.barcode, cmd.qty, cmd.badge, cmd.device_id, cmd.op_id, cmd.scanned_at, cmd.lease_epoch,
        cmd.lot, cmd.serial, cmd.expiry), uow)
    uow.batches.save(batch)  # only now: a refused pick binds no tote
    view = batch_view(batch, _tasks(uow, batch), uow)
    after = (f"Next: {_next_location(view)}." if view["done"] < view["total"]
             else "All picks done: close the batch.")
    return {**answer, "batch": view, "slot": slot.slot, "tote": slot.tote,
            "message": f"Put {cmd.qty} x {task.sku} in tote {slot.tote} (slot {slot.slot}). {after}"}


@idempotent()
def close_batch(cmd: CloseBatch, uow: UnitOfWork) -> dict:
    """Close a batch whose picks are all done: its totes go to packing."""
    batch = _batch(uow, cmd.batch_id)
    tasks = _tasks(uow, batch)
    uow.emit(batch.close(cmd.badge, tasks, uow.now()), Origin(cmd.device_id, cmd.op_id))
    uow.batches.save(batch)
    totes = [{"slot": s.slot, "order_id": s.order_id, "tote": s.tote} for s in batch.slots]
    handed = ", ".join(f"{t['tote']} ({t['order_id']})" for t in totes if t["tote"])
    return {"batch": batch_view(batch, tasks, uow), "totes": totes,
            "message": f"Batch {batch.batch_id} closed. Take the totes to packing: {handed or 'none were used'}."}


def batch_view(batch: Batch, tasks: list[PickTask], uow: UnitOfWork) -> dict:
    """Describe a batch with its slots and its walk, each stop carrying what the handheld checks scans against."""
    slots = {s.order_id: s for s in batch.slots}
    stops = [dict(picking.describe(task, uow), slot=slots[task.order_id].slot, tote=slots[task.order_id].tote)
             for task in walk(batch, tasks)]
    return {"batch_id": batch.batch_id, "wave_id": batch.wave_id, "status": batch.status, "picker": batch.picker,
            "slots": [{"slot": s.slot, "order_id": s.order_id, "tote": s.tote} for s in batch.slots],
            "stops": stops, "done": sum(1 for t in tasks if t.done), "total": len(tasks)}


def _next_location(view: dict) -> str:
    return next((stop["location"] for stop in view["stops"] if stop["next_step"] != "done"), "packing")


def _batch(uow: UnitOfWork, batch_id: str) -> Batch:
    batch = uow.batches.get(batch_id)
    if batch is None:
        raise UnknownBatch(batch_id)
    return batch


def _tasks(uow: UnitOfWork, batch: Batch) -> list[PickTask]:
    return [task for order_id in batch.order_ids for task in uow.tasks.for_order(order_id)]


def _urgency(candidate: WaveCandidate) -> tuple:
    return candidate.priority, candidate.requested_ship_date, candidate.order_id
