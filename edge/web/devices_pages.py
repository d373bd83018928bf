"""The Devices page of the site dashboard: printers with live status, scanners and the print queue."""
from flask import Blueprint, current_app, render_template

from edge.devices import print_job_actions as actions
from edge.devices import print_queue as queue
from edge.devices.device_status import printer_overview, scanner_overview
from edge.devices.registry import RegistryError
from sync.sqlite_store import read_connection

from .staff_auth import current_staff, staff_required

devices_pages = Blueprint("devices_pages", __name__, template_folder="templates")
JOBS_SHOWN = 50


@devices_pages.get("/devices/printers")
@staff_required("devices")
def printers_page():
    """Render printers, scanners and the latest print jobs with their actions."""
    services = current_app.extensions["wes_edge"]
    devices = services.devices
    page = {"configured": devices is not None, "printers": [], "scanners": [], "jobs": [], "worker": {}}
    if devices is not None:
        with read_connection(services.db_path) as conn:
            page["printers"] = printer_overview(conn, devices)
            page["jobs"] = [{**job, "reprint_on": reprint_targets(conn, devices, job["job_id"])}
                            for job in actions.list_jobs(conn, limit=JOBS_SHOWN)]
        page["scanners"] = scanner_overview(devices)
        page["worker"] = services.print_worker.health() if services.print_worker else {}
    return render_template("devices_printers.html", site=services.site_id, staff=current_staff(),
                           awaiting=queue.AWAITING_CONFIRMATION, queued=queue.QUEUED, **page)


def reprint_targets(conn, devices, job_id: int) -> list[str]:
    """Return the printers a job's label fits (same resolution and stock), its own first."""
    job = queue.get_job(conn, job_id)
    fits = []
    for printer in devices.printers.values():
        try:
            actions.require_label_fits(job, printer)
        except RegistryError:
            continue
        fits.append(printer.name)
    return sorted(fits, key=lambda name: name != job.printer)
