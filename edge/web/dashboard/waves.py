"""Waves: release a wave by rule (carrier cut-off, priority) or by ticking orders; follow batches; stop one."""
from datetime import date

from flask import request

from edge.adapters import batch_queries
from edge.service.batch_commands import CancelBatch, ReleaseWave

from ..staff_auth import staff_required
from . import dashboard
from .reads import actor, form, page, reading, run_action

CART_SLOTS_DEFAULT = 8


def render_waves(error: str = ""):
    with reading() as conn:
        waves_released = batch_queries.waves(conn)
        return page("waves.html", candidates=batch_queries.candidates(conn), waves=waves_released,
                    live_batches=sum(1 for w in waves_released for b in w["batches"] if b["live"]),
                    cart_default=CART_SLOTS_DEFAULT, error=error)


@dashboard.get("/waves")
@staff_required("floor")
def waves():
    """Show the orders a wave may take, the waves released and their batches' progress and totes."""
    return render_waves()


@dashboard.post("/waves/release")
@staff_required("floor")
def release_wave():
    """Release a wave of the ticked orders, or of the orders the rule takes, cut into carts of N totes."""
    try:
        cart_slots = int(form("cart_slots") or CART_SLOTS_DEFAULT)
        max_priority = int(form("max_priority") or 9)
        max_orders = int(form("max_orders") or 0)
    except ValueError:
        return render_waves("Totes per cart, priority and how many orders are whole numbers. Correct them."), 422
    try:
        ship_by = date.fromisoformat(form("ship_by")).isoformat() if form("ship_by") else ""
    except ValueError:
        return render_waves("Ship by is a date (YYYY-MM-DD). Pick it from the calendar."), 422
    order_ids = tuple(o.strip() for o in request.form.getlist("order_id") if o.strip())
    return run_action(ReleaseWave(cart_slots, order_ids, ship_by, max_priority, max_orders, actor(),
                                  form("reason")), "dashboard.waves", render_waves)


@dashboard.post("/waves/batches/<batch_id>/cancel")
@staff_required("floor")
def cancel_batch(batch_id: str):
    """Stop a batch nobody is finishing: its open picks go back to single picking; a reason is required."""
    return run_action(CancelBatch(batch_id, actor(), form("reason")), "dashboard.waves", render_waves)
