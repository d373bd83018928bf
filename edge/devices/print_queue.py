"""The durable print queue: jobs, outcomes and SSCC counters in the edge SQLite DB.

Functions taking `db` join the caller's write transaction, so a carton, its SSCC and its label job commit
together or not at all.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from protocols.labels import LabelError, SsccSeries

QUEUED, SENT, AWAITING_CONFIRMATION, CANCELLED = "queued", "sent", "awaiting_confirmation", "cancelled"


class PrintJobError(ValueError):
    """Raise when an operator action does not fit the job's state; str(err) says what to do."""


class UnknownPrintJob(PrintJobError):
    """Raise when there is no print job with the id asked for."""


@dataclass(frozen=True)
class PrintJob:
    """One label to print, as stored."""

    job_id: int
    printer: str
    label_kind: str
    ref: str
    sscc: str | None
    zpl: str
    status: str
    attempts: int
    next_attempt_at: str
    last_error: str
    reprint_of: int | None


def stamp(now: datetime) -> str:
    """Return the stored form of a time (ISO-8601, sortable as text)."""
    return now.isoformat(timespec="milliseconds")


def enqueue_job(db: Database, printer: str, label_kind: str, zpl: str, now: datetime, ref: str = "",
                sscc: str | None = None, reprint_of: int | None = None) -> int:
    """Queue a label for a printer and return its job id."""
    cursor = db.execute(
        "INSERT INTO edge_print_jobs (printer, label_kind, ref, sscc, zpl, status, next_attempt_at, created_at,"
        " updated_at, reprint_of) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [printer, label_kind, ref, sscc, zpl, QUEUED, stamp(now), stamp(now), stamp(now), reprint_of])
    record_outcome(db, cursor.lastrowid, printer, "queued", now, f"reprint of job {reprint_of}" if reprint_of else "")
    return cursor.lastrowid


def get_job(db: Database, job_id: int) -> PrintJob:
    """Return a job or raise PrintJobError."""
    row = db.execute("SELECT job_id, printer, label_kind, ref, sscc, zpl, status, attempts, next_attempt_at,"
                     " last_error, reprint_of FROM edge_print_jobs WHERE job_id = ?", [job_id]).fetchone()
    if row is None:
        raise UnknownPrintJob(f"There is no print job {job_id}. Check the number in the print queue.")
    return PrintJob(*row)


def jobs(db: Database, status: str | None = None) -> list[PrintJob]:
    """Return jobs in queue order, optionally only those in one status."""
    ids = db.execute("SELECT job_id FROM edge_print_jobs WHERE ? IS NULL OR status = ? ORDER BY job_id",
                     [status, status]).fetchall()
    return [get_job(db, job_id) for (job_id,) in ids]


def open_job_count(db: Database, printer: str) -> int:
    """Count a printer's jobs that are queued or await an operator's word."""
    return db.execute("SELECT count(*) FROM edge_print_jobs WHERE printer = ? AND status IN (?, ?)",
                      [printer, QUEUED, AWAITING_CONFIRMATION]).fetchone()[0]


def due_jobs(db: Database, now: datetime) -> list[PrintJob]:
    """Return queued jobs whose next attempt is due, oldest first."""
    ids = db.execute("SELECT job_id FROM edge_print_jobs WHERE status = ? AND next_attempt_at <= ?"
                     " ORDER BY job_id", [QUEUED, stamp(now)]).fetchall()
    return [get_job(db, job_id) for (job_id,) in ids]


def update_job(db: Database, job_id: int, now: datetime, **fields) -> None:
    """Change stored fields of a job."""
    fields["updated_at"] = stamp(now)
    assignments = ", ".join(f"{name} = ?" for name in fields)  # names come from our code, never from input
    db.execute(f"UPDATE edge_print_jobs SET {assignments} WHERE job_id = ?", [*fields.values(), job_id])


def record_outcome(db: Database, job_id: int, printer: str, outcome: str, now: datetime, detail: str = "") -> None:
    """Append one line to a job's history (sent, not_delivered, may_have_printed, confirmed_*, rerouted...)."""
    db.execute("INSERT INTO edge_print_outcomes (job_id, at, printer, outcome, detail) VALUES (?,?,?,?,?)",
               [job_id, stamp(now), printer, outcome, detail])


def outcomes(db: Database, job_id: int) -> list[str]:
    """Return the outcome names of a job, oldest first."""
    return [r[0] for r in db.execute("SELECT outcome FROM edge_print_outcomes WHERE job_id = ? ORDER BY id",
                                      [job_id]).fetchall()]


def confirm_job(db: Database, job_id: int, printed: bool, now: datetime) -> None:
    """Settle a job that may have printed: printed -> done, not printed -> queued to send again."""
    job = get_job(db, job_id)
    if job.status != AWAITING_CONFIRMATION:
        raise PrintJobError(f"Job {job_id} is {job.status}; only a job awaiting confirmation can be confirmed.")
    if printed:
        update_job(db, job_id, now, status=SENT)
    else:
        update_job(db, job_id, now, status=QUEUED, next_attempt_at=stamp(now))
    record_outcome(db, job_id, job.printer, "confirmed_printed" if printed else "confirmed_not_printed", now)


def reprint_job(db: Database, job_id: int, now: datetime, printer: str | None = None) -> int:
    """Queue the same label again (same ZPL, so the same SSCC) and return the new job id."""
    job = get_job(db, job_id)
    if job.status in (QUEUED, AWAITING_CONFIRMATION):
        raise PrintJobError(f"Job {job_id} is {job.status}: settle it first, a second copy would duplicate "
                            f"SSCC {job.sscc or '-'}.")
    return enqueue_job(db, printer or job.printer, job.label_kind, job.zpl, now, job.ref, job.sscc, job_id)


def cancel_job(db: Database, job_id: int, now: datetime) -> None:
    """Withdraw a job that has not been sent."""
    job = get_job(db, job_id)
    if job.status not in (QUEUED, AWAITING_CONFIRMATION):
        raise PrintJobError(f"Job {job_id} is {job.status} and cannot be cancelled.")
    update_job(db, job_id, now, status=CANCELLED)
    record_outcome(db, job_id, job.printer, "cancelled", now)


def issue_sscc(db: Database, series: SsccSeries) -> str:
    """Take the next SSCC of the site's series; the counter moves in the caller's transaction."""
    key = f"{series.extension_digit}{series.company_prefix}"
    db.execute("INSERT OR IGNORE INTO edge_sscc_counters (series, next_serial, last_serial) VALUES (?,?,?)",
               [key, series.first_serial, series.last_serial])
    # A new range from the centre moves the counter forward, never back over serials already issued.
    db.execute("UPDATE edge_sscc_counters SET next_serial = MAX(next_serial, ?), last_serial = ? WHERE series = ?",
               [series.first_serial, series.last_serial, key])
    (serial,) = db.execute("UPDATE edge_sscc_counters SET next_serial = next_serial + 1 WHERE series = ?"
                           " RETURNING next_serial - 1", [key]).fetchone()
    if serial > series.last_serial:
        raise LabelError(f"The SSCC range {series.first_serial}-{series.last_serial} is used up: "
                         "ask the central office for a new range.")
    return series.sscc(serial)
