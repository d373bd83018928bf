"""Cycle counts and replenishment over the API: the handheld's (signed-in picker) and the lead's (dashboard login).

The lead's endpoints authorise by the dashboard's session cookie, so their POSTs and PUTs need the CSRF token
(X-CSRFToken header), like the dead-letter actions.
"""
from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from edge.adapters import count_queries
from edge.service.count_commands import (CancelCount, ConfirmReplenishment, CreateCounts, DecideCount, SetCountSettings,
                                         SetPickFaces, SubmitCount, TakeNextCount, TakeNextReplenishment)
from sync.sqlite_store import read_connection

from ..staff_auth import current_staff, staff_required
from . import answer, services, signed_in_blueprint
from .count_schemas import (ConfirmReplenishmentV1Schema, CountFilterV1Schema, CountSettingsV1Schema,
                            CreateCountsV1Schema, DecisionV1Schema, PickFacesV1Schema, SubmitCountV1Schema)

blp = signed_in_blueprint("counting", __name__, "Blind cycle counts and replenishment moves on the handheld")
lead = Blueprint("counts_lead", __name__, description="Schedule counts, approve variances, set min/max (lead login)")


@blp.route("/counts/next")
class NextCount(MethodView):
    @blp.response(200)
    def get(self):
        """Take the picker's next count task: where to count, never how many are expected (blind count)."""
        return services().bus.handle(TakeNextCount(g.picker["badge"], g.picker["device_id"]))


@blp.route("/counts/<count_id>/submit")
class SubmitCountView(MethodView):
    @blp.arguments(SubmitCountV1Schema)
    @blp.response(200)
    def post(self, body, count_id):
        """Record the count: the location label, then each item scanned with its quantity, or empty=true."""
        lines = tuple((line["barcode"], line["qty"]) for line in body["lines"])
        return answer(services().bus.handle(SubmitCount(
            count_id, body["location_barcode"], lines, body["empty"], g.picker["badge"], g.picker["device_id"],
            body["op_id"], body.get("lease_epoch"), body.get("scanned_at", ""))))


@blp.route("/replenishments/next")
class NextReplenishment(MethodView):
    @blp.response(200)
    def get(self):
        """Take the picker's next replenishment: from which reserve, which item and lot, how many, to which face."""
        return services().bus.handle(TakeNextReplenishment(g.picker["badge"], g.picker["device_id"]))


@blp.route("/replenishments/<replen_id>/confirm")
class ConfirmReplenishmentView(MethodView):
    @blp.arguments(ConfirmReplenishmentV1Schema)
    @blp.response(200)
    def post(self, body, replen_id):
        """Confirm the move: reserve location, item, quantity and pick face as scanned."""
        return answer(services().bus.handle(ConfirmReplenishment(
            replen_id, body["from_barcode"], body["item_barcode"], body["qty"], body["to_barcode"],
            g.picker["badge"], g.picker["device_id"], body["op_id"], body.get("lease_epoch"))))


@lead.route("/counts")
class Counts(MethodView):
    @staff_required("floor")
    @lead.arguments(CountFilterV1Schema, location="query")
    @lead.response(200)
    def get(self, args):
        """List count tasks, newest first, optionally by status (status=awaiting_approval)."""
        statuses = [s for s in args["status"].split(",") if s]
        with read_connection(services().db_path) as conn:
            return {"counts": count_queries.counts(conn, statuses or None)}

    @staff_required("floor")
    @lead.arguments(CreateCountsV1Schema)
    @lead.response(201)
    def post(self, body):
        """Schedule count tasks for the listed locations and/or every location of a zone."""
        return services().bus.handle(CreateCounts(tuple(body["locations"]), body["zone"], current_staff().username,
                                                  body["reason"]))


@lead.route("/counts/<count_id>/<any(approve, reject):decision>")
class DecideCountView(MethodView):
    @staff_required("floor")
    @lead.arguments(DecisionV1Schema)
    @lead.response(200)
    def post(self, body, count_id, decision):
        """Approve a variance (booked as stock.changed reason count, once) or reject it (nothing is booked)."""
        return services().bus.handle(DecideCount(count_id, decision == "approve", current_staff().username,
                                                 body["reason"]))


@lead.route("/counts/<count_id>/cancel")
class CancelCountView(MethodView):
    @staff_required("floor")
    @lead.arguments(DecisionV1Schema)
    @lead.response(200)
    def post(self, body, count_id):
        """Withdraw a count not yet recorded (e.g. its counter left); picks held at the location are freed."""
        return services().bus.handle(CancelCount(count_id, current_staff().username, body["reason"]))


@lead.route("/count-settings")
class CountSettingsView(MethodView):
    @staff_required("floor")
    @lead.response(200)
    def get(self):
        """Show the recount and approval thresholds (a variance over units OR over percent exceeds one)."""
        with read_connection(services().db_path) as conn:
            return count_queries.settings(conn)

    @staff_required("floor")
    @lead.arguments(CountSettingsV1Schema)
    @lead.response(200)
    def put(self, body):
        """Set the recount and approval thresholds."""
        return services().bus.handle(SetCountSettings(body["recount_units"], body["recount_pct"],
                                                      body["approval_units"], body["approval_pct"],
                                                      current_staff().username, body["reason"]))


@lead.route("/pick-faces")
class PickFaces(MethodView):
    @staff_required("floor")
    @lead.response(200)
    def get(self):
        """List the pick faces with min, max and what they hold."""
        with read_connection(services().db_path) as conn:
            return {"pick_faces": count_queries.pick_faces(conn)}

    @staff_required("floor")
    @lead.arguments(PickFacesV1Schema)
    @lead.response(200)
    def put(self, body):
        """Set min/max of pick faces; a face already below its min gets a replenishment."""
        faces = tuple((f["location"], f["sku"], f["min"], f["max"]) for f in body["faces"])
        return services().bus.handle(SetPickFaces(faces, current_staff().username))


@lead.route("/replenishments")
class Replenishments(MethodView):
    @staff_required("floor")
    @lead.response(200)
    def get(self):
        """List open replenishments with how many picks wait for each."""
        with read_connection(services().db_path) as conn:
            return {"replenishments": count_queries.replenishments(conn)}
