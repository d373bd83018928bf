"""Sync operations at the site: health with the outbox budget, dead letters, and the outbox-full guard.

Replaying or discarding a dead letter needs a dashboard login whose role may open the "sync" area (lead,
integrator, admin): a cookie session, so these POSTs also need the CSRF token (X-CSRFToken header).
"""
from functools import wraps

from flask import Flask, current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from edge.adapters.central_inbox import apply_command
from protocols.status import TASK_ASSIGNED, TASK_AT_LOCATION
from sync.dead_letters import DeadLetterBook, DeadLetterRefused
from sync.outbox_budget import MB, MESSAGES, OutboxBudget
from sync.report_schemas import (DeadLetterFilterSchema, DeadLetterPageSchema, DeadLetterSchema,
                                 EdgeSyncHealthSchema, NOTE, StrictSchema)
from sync.sqlite_store import pooled_connection

from ..errors import ApiRefusal
from ..staff_auth import current_staff, staff_required
from . import services

public = Blueprint("sync_ops", __name__, description="Sync health and dead letters; reading needs no sign-in")
# Not exempt from CSRF (unlike the handheld API): it authenticates by the dashboard's session cookie.
lead = Blueprint("sync_ops_lead", __name__, description="Replay or discard dead letters (dashboard login, sync area)")

# Endpoints that hand out new work: refused while the outbox is full. Picks, shorts, cartons and
# shipments of work already started stay open, since refusing them would strand stock mid-walk.
NEW_WORK = ("picking.NextTask", "picking.MyTasks", "batches.NextBatch")
DEFAULT_BUDGET_MB = 1024.0


class ReplayInSchema(StrictSchema):
    """Nothing to send: the logged-in staff member is recorded as who replayed it."""


class DiscardInSchema(StrictSchema):
    reason = fields.String(required=True, validate=NOTE, metadata={"description": "why it is discarded"})


def budget() -> OutboxBudget:
    return current_app.extensions["outbox_budget"]


@public.route("/sync")
class SyncHealth(MethodView):
    @public.alt_response(200, schema=EdgeSyncHealthSchema, success=True,
                         description="Link, lag, outbox depth and budget, last ack, dead letters, epoch")
    def get(self):
        """Show the sync endpoint's health and the outbox budget, or say that sync is not configured."""
        sync = services().sync
        return {**sync.health(), **budget().status()} if sync is not None else {"configured": False}


def _book() -> DeadLetterBook:
    return DeadLetterBook(services().db_path, apply_command)


def _act(action, *args) -> dict:
    try:
        return action(*args)
    except DeadLetterRefused as refused:
        raise ApiRefusal(refused.status, refused.code, refused.message) from None


@public.route("/sync/dead-letters")
class DeadLetters(MethodView):
    @public.arguments(DeadLetterFilterSchema, location="query")
    @public.response(200, DeadLetterPageSchema)
    def get(self, args):
        """List dead letters, newest first, optionally by status, a page at a time."""
        return _book().list(args["status"], args["limit"], args["offset"])


@public.route("/sync/dead-letters/<int:letter_id>")
class DeadLetter(MethodView):
    @public.response(200, DeadLetterSchema)
    def get(self, letter_id):
        """Show one dead letter: raw payload, reason, topic, when, and what was done with it."""
        return _act(_book().get, letter_id)


@lead.route("/sync/dead-letters/<int:letter_id>/replay")
class ReplayDeadLetter(MethodView):
    @staff_required("sync")
    @lead.arguments(ReplayInSchema)
    @lead.response(200, DeadLetterSchema)
    def post(self, body, letter_id):
        """Apply an open dead letter again, exactly once; a failure keeps it open with the new reason (409)."""
        return _act(_book().replay, letter_id, current_staff().username)


@lead.route("/sync/dead-letters/<int:letter_id>/discard")
class DiscardDeadLetter(MethodView):
    @staff_required("sync")
    @lead.arguments(DiscardInSchema)
    @lead.response(200, DeadLetterSchema)
    def post(self, body, letter_id):
        """Close an open dead letter without applying it; who and why are kept."""
        return _act(_book().discard, letter_id, current_staff().username, body["reason"])


def _has_started_task(badge: str) -> bool:
    with pooled_connection(services().db_path) as conn:  # asked on every next-task call: no new connection
        row = conn.execute("SELECT 1 FROM tasks WHERE picker = ? AND status IN (?, ?) LIMIT 1",
                           [badge, TASK_ASSIGNED, TASK_AT_LOCATION]).fetchone()
    return row is not None


def _refuse_new_work_when_full(view, endpoint: str):
    @wraps(view)
    def guarded(*args, **kwargs):
        picker = g.get("picker")
        if budget().refuses_new_work() and not (  # only then ask whether the picker is mid-task
                endpoint == "picking.NextTask" and picker is not None and _has_started_task(picker["badge"])):
            raise ApiRefusal(503, "outbox_full", MESSAGES["full"] + " Lead: restore the link to the centre.")
        return view(*args, **kwargs)

    return guarded


def install(app: Flask) -> None:
    """Make the outbox budget from the config (OUTBOX_BUDGET_MB, OUTBOX_BUDGET_CHECK_SECONDS) and guard new work.

    The guard wraps the views themselves, so it runs after sign-in: a stranger still gets 401, not 503.
    """
    size_mb = float(app.config.get("OUTBOX_BUDGET_MB") or DEFAULT_BUDGET_MB)
    app.extensions["outbox_budget"] = OutboxBudget(
        app.config["DB_PATH"], int(size_mb * MB), check_every=float(app.config.get("OUTBOX_BUDGET_CHECK_SECONDS", 2.0)))
    for endpoint in NEW_WORK:
        app.view_functions[endpoint] = _refuse_new_work_when_full(app.view_functions[endpoint], endpoint)
