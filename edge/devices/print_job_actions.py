"""Operator actions on print jobs (confirm, reprint, cancel), each audited in the same transaction."""
from dataclasses import asdict
from datetime import datetime

from edge.adapters.staff_accounts import audit, audit_entries
from protocols.labels import LabelError, ZplLabel
from sync.sqlite_store import write_transaction

from . import print_queue as queue
from .registry import DeviceConfig, PrinterConfig, RegistryError


class PrinterMismatch(RegistryError):
    """Raise when a label made for one resolution or stock size is sent to a printer with another."""


def job_view(job: queue.PrintJob) -> dict:
    """Return a job as the API shows it (without its ZPL)."""
    data = asdict(job)
    data.pop("zpl")
    return data


def confirm(db_path: str, job_id: int, printed: bool, actor: str, reason: str, now: datetime) -> dict:
    """Settle a job awaiting confirmation: printed -> done, not printed -> queued to print once more."""
    with write_transaction(db_path) as db:
        queue.confirm_job(db, job_id, printed, now)
        job = queue.get_job(db, job_id)
        audit(db, actor, "print_job.confirmed_printed" if printed else "print_job.confirmed_not_printed",
              f"print_job:{job_id}", now, reason, {"printer": job.printer, "sscc": job.sscc})
    return job_view(job)


def reprint(db_path: str, devices: DeviceConfig, job_id: int, printer: str | None, actor: str, reason: str,
            now: datetime) -> dict:
    """Queue the same label again (same SSCC), on its printer or another one with the same stock and dpi."""
    with write_transaction(db_path) as db:
        job = queue.get_job(db, job_id)
        target = devices.printer(printer or job.printer)
        require_label_fits(job, target)
        new_id = queue.reprint_job(db, job_id, now, target.name)
        audit(db, actor, "print_job.reprinted", f"print_job:{job_id}", now, reason,
              {"new_job_id": new_id, "printer": target.name, "sscc": job.sscc})
        return job_view(queue.get_job(db, new_id))


def cancel(db_path: str, job_id: int, actor: str, reason: str, now: datetime) -> dict:
    """Withdraw a job that is queued or awaiting confirmation."""
    with write_transaction(db_path) as db:
        queue.cancel_job(db, job_id, now)
        job = queue.get_job(db, job_id)
        audit(db, actor, "print_job.cancelled", f"print_job:{job_id}", now, reason,
              {"printer": job.printer, "sscc": job.sscc})
    return job_view(job)


def require_label_fits(job: queue.PrintJob, printer: PrinterConfig) -> None:
    """Raise PrinterMismatch unless the job's ZPL was made for the printer's resolution and label size."""
    try:
        header = ZplLabel(printer.size, printer.resolution).render().splitlines()
    except LabelError as err:
        raise PrinterMismatch(str(err)) from None
    width, length = (line for line in header if line.startswith(("^PW", "^LL")))
    if width not in job.zpl.splitlines() or length not in job.zpl.splitlines():
        raise PrinterMismatch(
            f"Job {job.job_id}'s label was made for other stock than {printer.name} takes ({printer.dpi} dpi, "
            f"{printer.width_mm:g} x {printer.height_mm:g} mm): choose a printer like {job.printer}.")


def history(db, job_id: int) -> list[dict]:
    """Return a job's outcomes, oldest first."""
    rows = db.execute("SELECT at, printer, outcome, detail FROM edge_print_outcomes WHERE job_id = ? ORDER BY id",
                      [job_id]).fetchall()
    return [dict(zip(("at", "printer", "outcome", "detail"), row)) for row in rows]


def list_jobs(db, status: str | None = None, printer: str | None = None, limit: int = 200) -> list[dict]:
    """Return jobs newest first, optionally of one status and/or one printer."""
    ids = db.execute("SELECT job_id FROM edge_print_jobs WHERE (? IS NULL OR status = ?) AND (? IS NULL OR printer = ?)"
                     " ORDER BY job_id DESC LIMIT ?", [status, status, printer, printer, limit]).fetchall()
    return [job_view(queue.get_job(db, job_id)) for (job_id,) in ids]


def job_detail(db, job_id: int) -> dict:
    """Return one job with its outcome history and the operator actions taken on it."""
    job = job_view(queue.get_job(db, job_id))
    actions = [{k: entry[k] for k in ("at", "actor", "action", "reason")}
               for entry in reversed(audit_entries(db, subject=f"print_job:{job_id}"))]
    return {**job, "history": history(db, job_id), "actions": actions}
