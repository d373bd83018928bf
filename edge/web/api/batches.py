"""Batch picking over the API: the handheld's (signed-in picker) and the lead's waves (dashboard login + CSRF)."""
from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from edge.adapters import batch_queries
from edge.service.batch_commands import CancelBatch, CloseBatch, ConfirmBatchPick, ReleaseWave, TakeNextBatch
from sync.sqlite_store import read_connection

from ..staff_auth import current_staff, staff_required
from . import answer, services, signed_in_blueprint
from .batch_schemas import BatchPickV1Schema, CancelBatchV1Schema, CloseBatchV1Schema, ReleaseWaveV1Schema

blp = signed_in_blueprint("batches", __name__, "Batch (cluster) picking into totes on a cart")
lead = Blueprint("waves_lead", __name__, description="Release waves and follow batches (lead login)")


@blp.route("/batches/next")
class NextBatch(MethodView):
    @blp.response(200)
    def get(self):
        """Take the picker's batch in progress, else the oldest waiting one: slots, totes and the sorted walk."""
        return services().bus.handle(TakeNextBatch(g.picker["badge"], g.picker["device_id"]))


@blp.route("/batches/<batch_id>/picks")
class BatchPick(MethodView):
    @blp.arguments(BatchPickV1Schema)
    @blp.response(200)
    def post(self, body, batch_id):
        """Pick for one order of the batch (after its location scan) and put it into the tote scanned."""
        return answer(services().bus.handle(ConfirmBatchPick(
            batch_id, body["task_id"], body["barcode"], body["qty"], body["tote"], g.picker["badge"],
            g.picker["device_id"], body["op_id"], body.get("scanned_at", ""), body.get("lease_epoch"), body["lot"],
            body["serial"], body["expiry"])))


@blp.route("/batches/<batch_id>/close")
class CloseBatchView(MethodView):
    @blp.arguments(CloseBatchV1Schema)
    @blp.response(200)
    def post(self, body, batch_id):
        """Close the batch once every pick is done or short: the totes go to packing."""
        return answer(services().bus.handle(CloseBatch(batch_id, g.picker["badge"], g.picker["device_id"],
                                                       body["op_id"])))


@lead.route("/waves")
class Waves(MethodView):
    @staff_required("floor")
    @lead.response(200)
    def get(self):
        """List the waves, newest first, with their batches and progress, and the orders a wave may take."""
        with read_connection(services().db_path) as conn:
            return {"waves": batch_queries.waves(conn), "candidates": batch_queries.candidates(conn)}

    @staff_required("floor")
    @lead.arguments(ReleaseWaveV1Schema)
    @lead.response(201)
    def post(self, body):
        """Release a wave: the orders listed, or those the rule takes (cut-off date, priority, how many)."""
        ship_by = body["ship_by"].isoformat() if body.get("ship_by") else ""
        return services().bus.handle(ReleaseWave(body["cart_slots"], tuple(body["order_ids"]), ship_by,
                                                 body["max_priority"], body["max_orders"], current_staff().username,
                                                 body["reason"]))


@lead.route("/batches/<batch_id>/cancel")
class CancelBatchView(MethodView):
    @staff_required("floor")
    @lead.arguments(CancelBatchV1Schema)
    @lead.response(200)
    def post(self, body, batch_id):
        """Stop a batch nobody is finishing: its open picks go back to single picking (reason audited)."""
        return services().bus.handle(CancelBatch(batch_id, current_staff().username, body["reason"]))
