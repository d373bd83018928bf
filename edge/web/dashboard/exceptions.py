"""The exceptions queue and the lead's actions on it; every action needs a reason and is audited."""
from flask import flash, redirect, url_for

from edge.adapters import exception_queries, floor_queries
from edge.adapters.central_inbox import apply_command
from edge.adapters.staff_accounts import audit
from edge.devices.print_queue import PrintJobError, cancel_job, reprint_job
from edge.domain.lead_actions import EXCEPTION_KINDS, ReasonRequired, check_reason
from edge.service.lead_commands import CancelOrderAtSite, ReassignTask, ReleaseShortTask, ResolveException
from sync.dead_letters import DeadLetterBook, DeadLetterRefused
from sync.sqlite_store import write_transaction

from ..errors import ApiRefusal
from ..staff_auth import staff_required, wants_json
from . import dashboard
from .verification import expired_on_shelves
from .reads import actor, form, now, page, reading, run_action, services

LABELS = {"short_pick": "Short picks", "wrong_scans": "Repeated wrong scans", "print_job": "Printer failures",
          "cancelled_mid_pick": "Orders cancelled mid-pick", "dead_letter": "Sync dead letters",
          "refused_op": "Handheld ops refused on replay", "put_back": "Put-backs waiting in PACK",
          "return_difference": "Returns that differ from their RMA"}


def render_queue(error: str = ""):
    with reading() as conn:
        queue = exception_queries.queue(conn)
        pickers = floor_queries.picker_badges(conn)
        actions = exception_queries.recent_actions(conn)
        expired = expired_on_shelves(conn)
    devices = services().devices
    printers = sorted(devices.printers) if devices is not None else []
    return page("exceptions.html", queue=queue, labels=LABELS, kinds=EXCEPTION_KINDS, pickers=pickers,
                printers=printers, actions=actions, error=error, expired=expired,
                total=sum(len(items) for items in queue.values()))


@dashboard.get("/exceptions")
@staff_required("floor")
def exceptions():
    """Show every open exception with its context and the actions that resolve it."""
    return render_queue()


@dashboard.post("/exceptions/tasks/<task_id>/reassign")
@staff_required("floor")
def reassign_task(task_id: str):
    """Hand a task to another picker (or back to the pool)."""
    return run_action(ReassignTask(task_id, form("to_badge"), actor(), form("reason")), "dashboard.exceptions",
                      render_queue)


@dashboard.post("/exceptions/tasks/<task_id>/release")
@staff_required("floor")
def release_short_task(task_id: str):
    """Send a short task's missing quantity to another location with free stock."""
    return run_action(ReleaseShortTask(task_id, form("location"), actor(), form("reason")), "dashboard.exceptions",
                      render_queue)


@dashboard.post("/exceptions/orders/<order_id>/cancel")
@staff_required("floor")
def cancel_order(order_id: str):
    """Cancel an order at this site."""
    return run_action(CancelOrderAtSite(order_id, actor(), form("reason")), "dashboard.exceptions", render_queue)


@dashboard.post("/exceptions/<kind>/<path:ref>/resolve")
@staff_required("floor")
def resolve(kind: str, ref: str):
    """Close an exception that needs no change on the floor (approve a short, acknowledge...)."""
    return run_action(ResolveException(kind, ref, form("action"), actor(), form("reason")), "dashboard.exceptions",
                      render_queue)


@dashboard.post("/exceptions/print-jobs/<int:job_id>/reprint")
@staff_required("floor")
def reprint(job_id: int):
    """Withdraw a failing label job and print the same label (same SSCC) on another printer."""
    devices = services().devices
    printer = form("printer")
    try:
        reason = check_reason(form("reason"))
    except ReasonRequired as err:
        return _refused(err.message, 422)
    if devices is None or printer not in devices.printers:
        return _refused(f"No printer {printer!r} at this site. Choose one from the list.", 422)
    moment = now()
    try:
        with write_transaction(services().db_path) as db:
            cancel_job(db, job_id, moment)
            new_job = reprint_job(db, job_id, moment, printer)
            audit(db, actor(), "print_job.reprinted", f"print_job:{job_id}", moment, reason,
                  {"new_job": new_job, "printer": printer})
    except PrintJobError as err:
        return _refused(str(err), 409)
    message = f"Label job {job_id} moved to {printer} as job {new_job}."
    if wants_json():
        return {"job_id": job_id, "new_job_id": new_job, "printer": printer, "message": message}
    flash(message, "ok")
    return redirect(url_for("dashboard.exceptions"), code=303)


@dashboard.post("/exceptions/dead-letters/<int:letter_id>/<any(replay, discard):action>")
@staff_required("sync")
def dead_letter(letter_id: int, action: str):
    """Replay a dead letter (apply it again, exactly once) or discard it with a reason."""
    book = DeadLetterBook(services().db_path, apply_command)
    try:
        if action == "replay":
            book.replay(letter_id, actor())
        else:
            book.discard(letter_id, actor(), check_reason(form("reason")))
    except ReasonRequired as err:
        return _refused(err.message, 422, "reason_required")
    except DeadLetterRefused as refused:
        return _refused(refused.message, refused.status, refused.code)
    message = f"Dead letter {letter_id} {'replayed' if action == 'replay' else 'discarded'}."
    if wants_json():
        return {"dead_letter_id": letter_id, "action": action, "message": message}
    flash(message, "ok")
    return redirect(url_for("dashboard.exceptions"), code=303)


def _refused(message: str, status: int, code: str = "print_job_refused"):
    if wants_json():
        raise ApiRefusal(status, code, message)
    return render_queue(error=message), status

