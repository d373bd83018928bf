"""Staff API of the device layer: the printer registry, print jobs and label previews.

Cookie-authenticated (dashboard login, role area "devices"), so every change needs the X-CSRFToken header.
Views only parse, call edge.devices and answer; the rules live there.
"""
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from edge.devices import print_job_actions as actions
from edge.devices import print_queue as queue
from edge.devices.device_status import printer_overview, scanner_overview
from edge.devices.preview import RendererFailed, RendererUnavailable, render_png
from edge.devices.print_worker import utc_clock
from edge.devices.printer_admin import put_printer, remove_printer
from edge.devices.registry import PrinterBusy, PrinterConfig, RegistryError, UnknownPrinter
from edge.devices.sample_labels import KINDS, sample_label
from edge.service.outcomes import error_body
from protocols.labels import PrinterResolution
from protocols.messages.api_error import ApiErrorV1Schema
from sync.sqlite_store import read_connection

from ..errors import ApiRefusal
from ..staff_auth import current_staff, staff_required
from . import services
from .devices_schemas import (ConfirmV1Schema, JobFilterV1Schema, PreviewV1Schema,
                              PrintJobDetailV1Schema, PrintJobV1Schema, PrinterEditedV1Schema,
                              PrinterRemovedV1Schema, PrintersV1Schema, PrinterStateV1Schema, PrinterV1Schema,
                              ReasonV1Schema, ReprintV1Schema, ScannerStateV1Schema)

blp = Blueprint("devices", __name__, description="Printers, print jobs and label previews (staff login, "
                                                 "role lead, integrator or admin; changes need X-CSRFToken)")
PNG = "image/png"
PNG_BODY = {"type": "string", "format": "binary"}
REFUSALS = [  # most specific first
    (queue.UnknownPrintJob, 404, "unknown_print_job"),
    (queue.PrintJobError, 409, "print_job_conflict"),
    (UnknownPrinter, 404, "unknown_printer"),
    (PrinterBusy, 409, "printer_busy"),
    (actions.PrinterMismatch, 422, "printer_mismatch"),
    (RegistryError, 422, "invalid_printer"),
    (RendererUnavailable, 503, "renderer_unavailable"),
    (RendererFailed, 502, "renderer_failed"),
]


def refuse(err: Exception):
    """Answer a device-layer refusal with the standard error shape; nothing was changed."""
    for kind, status, code in REFUSALS:
        if isinstance(err, kind):
            return error_body(status, code, str(err)), status
    raise err


for _kind, _, _ in REFUSALS:
    blp.register_error_handler(_kind, refuse)


def registry():
    """Return the live device registry, or refuse when this edge runs without a devices file."""
    devices = services().devices
    if devices is None:
        raise ApiRefusal(409, "devices_not_configured", "This site server runs without a devices file: start it "
                                                        "with --devices FILE to manage printers and print jobs.")
    return devices


def actor() -> str:
    return current_staff().username


def documented_errors(*statuses: int):
    """Document the error answers of an endpoint in the standard shape."""
    def decorate(view):
        for status in (401, 403, *statuses):
            view = blp.alt_response(status, schema=ApiErrorV1Schema, description="refused; nothing changed")(view)
        return view
    return decorate


class StaffView(MethodView):
    decorators = [staff_required("devices")]


@blp.route("/devices/printers")
class Printers(StaffView):
    @blp.response(200, PrintersV1Schema)
    @documented_errors(409)
    def get(self):
        """List the registry's printers with their live state and how many jobs wait for each."""
        devices = registry()
        with read_connection(services().db_path) as conn:
            printers = printer_overview(conn, devices)
        worker = services().print_worker
        return {"site_id": devices.site_id, "printers": printers, "worker": worker.health() if worker else {}}


@blp.route("/devices/printers/<name>")
class Printer(StaffView):
    @blp.response(200, PrinterStateV1Schema)
    @documented_errors(404, 409)
    def get(self, name):
        """Show one printer with its live state."""
        devices = registry()
        devices.printer(name)
        with read_connection(services().db_path) as conn:
            return next(p for p in printer_overview(conn, devices) if p["name"] == name)

    @blp.arguments(PrinterV1Schema)
    @blp.response(200, PrinterEditedV1Schema)
    @blp.alt_response(201, schema=PrinterEditedV1Schema, description="a new printer was added")
    @documented_errors(400, 409, 422)
    def put(self, body, name):
        """Add or replace a printer; saved to the devices file and used from the next job on, no restart."""
        reason = body.pop("reason")
        result = put_printer(services().db_path, registry(), PrinterConfig(name=name, **body), actor(), reason,
                             utc_clock())
        return result, 201 if result["created"] else 200

    @blp.arguments(ReasonV1Schema)
    @blp.response(200, PrinterRemovedV1Schema)
    @documented_errors(400, 404, 409, 422)
    def delete(self, body, name):
        """Remove a printer; refused while jobs wait for it or another printer falls back to it."""
        return remove_printer(services().db_path, registry(), name, actor(), body["reason"], utc_clock())


@blp.route("/devices/scanners")
class Scanners(StaffView):
    @blp.response(200, ScannerStateV1Schema(many=True))
    @documented_errors(409)
    def get(self):
        """List the configured scanners and whether each one's port is present."""
        return scanner_overview(registry())


@blp.route("/devices/print-jobs")
class PrintJobs(StaffView):
    @blp.arguments(JobFilterV1Schema, location="query")
    @blp.response(200, PrintJobV1Schema(many=True))
    @documented_errors(409, 422)
    def get(self, args):
        """List print jobs, newest first; filter with status= and printer=."""
        registry()
        with read_connection(services().db_path) as conn:
            return actions.list_jobs(conn, args.get("status"), args.get("printer"), args["limit"])


@blp.route("/devices/print-jobs/<int:job_id>")
class PrintJob(StaffView):
    @blp.response(200, PrintJobDetailV1Schema)
    @documented_errors(404, 409)
    def get(self, job_id):
        """Show one print job with its outcome history and the operator actions taken on it."""
        registry()
        with read_connection(services().db_path) as conn:
            return actions.job_detail(conn, job_id)


@blp.route("/devices/print-jobs/<int:job_id>/confirm")
class ConfirmJob(StaffView):
    @blp.arguments(ConfirmV1Schema)
    @blp.response(200, PrintJobV1Schema)
    @documented_errors(400, 404, 409, 422)
    def post(self, body, job_id):
        """Say whether a job awaiting confirmation printed: not printed queues the same label once more."""
        registry()
        return actions.confirm(services().db_path, job_id, body["printed"], actor(), body["reason"], utc_clock())


@blp.route("/devices/print-jobs/<int:job_id>/reprint")
class ReprintJob(StaffView):
    @blp.arguments(ReprintV1Schema)
    @blp.response(201, PrintJobV1Schema)
    @documented_errors(400, 404, 409, 422)
    def post(self, body, job_id):
        """Print the same label (same SSCC) again, optionally on another printer with the same stock and dpi."""
        return actions.reprint(services().db_path, registry(), job_id, body.get("printer"), actor(),
                               body["reason"], utc_clock())


@blp.route("/devices/print-jobs/<int:job_id>/cancel")
class CancelJob(StaffView):
    @blp.arguments(ReasonV1Schema)
    @blp.response(200, PrintJobV1Schema)
    @documented_errors(400, 404, 409, 422)
    def post(self, body, job_id):
        """Withdraw a job that is queued or awaiting confirmation."""
        registry()
        return actions.cancel(services().db_path, job_id, actor(), body["reason"], utc_clock())


@blp.route("/devices/print-jobs/<int:job_id>/preview.png")
class JobPreview(StaffView):
    @blp.response(200, PNG_BODY, content_type=PNG, description="the label as the offline renderer draws it")
    @documented_errors(404, 409, 503)
    def get(self, job_id):
        """Render a job's label to PNG, at its printer's resolution and label size."""
        devices = registry()
        with read_connection(services().db_path) as conn:
            job = queue.get_job(conn, job_id)
        if job.printer not in devices.printers:
            raise ApiRefusal(409, "unknown_printer", f"Printer {job.printer} is no longer in the registry, so the "
                                                     "label size is unknown: reprint the job on a listed printer.")
        printer = devices.printer(job.printer)
        return png(render_png(job.zpl, printer.size, printer.resolution))


@blp.route("/devices/labels/<kind>/preview.png")
class SamplePreview(StaffView):
    @blp.arguments(PreviewV1Schema, location="query")
    @blp.response(200, PNG_BODY, content_type=PNG, description="a sample label as the offline renderer draws it")
    @documented_errors(404, 422, 503)
    def get(self, args, kind):
        """Render a sample label (logistic, location or item) at a resolution (dpi=203, 300 or 600)."""
        if kind not in KINDS:
            raise ApiRefusal(404, "unknown_label_kind", f"There is no {kind!r} label: use {', '.join(KINDS)}.")
        resolution = PrinterResolution(args["dpi"])
        zpl, size = sample_label(kind, resolution)
        return png(render_png(zpl, size, resolution))


def png(data: bytes) -> Response:
    return Response(data, mimetype=PNG, headers={"Cache-Control": "private, max-age=60"})
