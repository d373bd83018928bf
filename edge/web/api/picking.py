"""The picker's walk: next task, location scan, item scan with quantity, short pick."""
from flask import current_app, g
from flask.views import MethodView

from edge.service.commands import AssignNextTask, ConfirmPick, LeaseTasks, PostponeTask, ReportShortPick, ScanLocation

from ..schemas import LocationScanV1Schema, PickV1Schema, PostponeV1Schema, ShortPickV1Schema, TasksMineV1Schema
from . import answer, services, signed_in_blueprint

blp = signed_in_blueprint("picking", __name__, "Pick tasks for the signed-in picker")


# The commands of the three hottest calls, built here for the views and for the handheld fast lane alike.
def next_task_command(picker: dict) -> AssignNextTask:
    return AssignNextTask(picker["badge"], picker["device_id"])


def location_scan_command(task_id: str, body: dict, picker: dict) -> ScanLocation:
    return ScanLocation(task_id, body["barcode"], picker["badge"], picker["device_id"], body["op_id"],
                        body.get("scanned_at", ""), body.get("lease_epoch"))


def pick_command(task_id: str, body: dict, picker: dict) -> ConfirmPick:
    return ConfirmPick(task_id, body["barcode"], body["qty"], picker["badge"], picker["device_id"], body["op_id"],
                       body.get("scanned_at", ""), body.get("lease_epoch"), body["lot"], body["serial"],
                       body["expiry"], body["qty_confirmed"])


@blp.route("/tasks/next")
class NextTask(MethodView):
    @blp.response(200)
    def get(self):
        """Get (and take) the picker's next task: their unfinished one first, else the most urgent open one."""
        return services().bus.handle(next_task_command(g.picker))


@blp.route("/tasks/mine")
class MyTasks(MethodView):
    @blp.arguments(TasksMineV1Schema, location="query")
    @blp.response(200)
    def get(self, args):
        """Lease up to `limit` tasks to this device (own unfinished first) to work with no connection."""
        return services().bus.handle(LeaseTasks(g.picker["badge"], g.picker["device_id"], args["limit"],
                                                current_app.config.get("LEASE_MINUTES", 30.0)))


@blp.route("/tasks/<task_id>/postpone")
class Postpone(MethodView):
    @blp.arguments(PostponeV1Schema)
    @blp.response(200)
    def post(self, body, task_id):
        """Put the task back in the pool (skip it for now)."""
        return answer(services().bus.handle(PostponeTask(
            task_id, body["reason"], g.picker["badge"], g.picker["device_id"], body["op_id"],
            body.get("lease_epoch"))))


@blp.route("/tasks/<task_id>/location-scan")
class LocationScan(MethodView):
    @blp.arguments(LocationScanV1Schema)
    @blp.response(200)
    def post(self, body, task_id):
        """Scan the label of the task's location."""
        return answer(services().bus.handle(location_scan_command(task_id, body, g.picker)))


@blp.route("/tasks/<task_id>/picks")
class Picks(MethodView):
    @blp.arguments(PickV1Schema)
    @blp.response(200)
    def post(self, body, task_id):
        """Scan the item and confirm how many were taken."""
        return answer(services().bus.handle(pick_command(task_id, body, g.picker)))


@blp.route("/tasks/<task_id>/short")
class ShortPick(MethodView):
    @blp.arguments(ShortPickV1Schema)
    @blp.response(200)
    def post(self, body, task_id):
        """Report that fewer than asked are at the location: pick what was found, close the task short."""
        return answer(services().bus.handle(ReportShortPick(
            task_id, body["qty_found"], body["reason"], g.picker["badge"], g.picker["device_id"], body["op_id"],
            body.get("scanned_at", ""), body.get("lease_epoch"))))
