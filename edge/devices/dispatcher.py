"""Send due print jobs to their printers, one short transaction per step, never blocking picking.

Before each job the printer's ~HS status is read; silence or a fault marks the printer offline and it is
polled again with backoff. A job that surely never reached a printer stays queued (or moves to the station's
fallback printer); a job that may have printed waits for an operator and is never resent automatically.
"""
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from protocols.devices.host_status import StatusParseError, parse_hqes, parse_hs
from protocols.devices.transports import DeliveryUncertain, NotDelivered, StatusTimeout, transport_for_url
from sync.sqlite_store import write_transaction

from . import print_queue as queue
from .registry import DeviceConfig, PrinterConfig

log = logging.getLogger(__name__)
HS_FRAMES = 3
HQES_FRAMES = 1
WHAT_TO_DO = {  # ~HQES error -> what the operator does about it
    "media out": "load labels", "ribbon out": "load a ribbon", "head open": "close the printhead",
    "cutter fault": "clear the cutter", "head over temperature": "let the head cool down",
}


class PrintDispatcher:
    """Drain the print queue of one site; call drain(now) from a loop or a timer."""

    def __init__(self, db_path: str, config: DeviceConfig, transport_factory: Callable = transport_for_url,
                 base_delay: float = 5.0, max_delay: float = 300.0):
        self.db_path, self.config, self.transport_factory = db_path, config, transport_factory
        self.base_delay, self.max_delay = base_delay, max_delay

    def backoff(self, failures: int) -> timedelta:
        """Return the wait before the next try after `failures` failures in a row (doubling, capped)."""
        return timedelta(seconds=min(self.max_delay, self.base_delay * 2 ** max(0, failures - 1)))

    def drain(self, now: datetime) -> int:
        """Send every due job whose printer is ready; return how many were sent."""
        with write_transaction(self.db_path) as db:
            due = queue.due_jobs(db, now)
        sent, blocked = 0, set()
        for job in due:
            if job.printer in blocked:
                continue
            printer = self.config.printers.get(job.printer)
            if printer is None:
                self._hold(job, now, f"printer {job.printer} is not in the registry")
                continue
            problem = self._printer_problem(printer, now)
            if problem:
                blocked.add(job.printer)
                self._reroute_or_hold(job, printer, now, problem)
                continue
            if self._send(job, printer, now):
                sent += 1
            else:
                blocked.add(job.printer)
        return sent

    def _printer_problem(self, printer: PrinterConfig, now: datetime) -> str:
        with write_transaction(self.db_path) as db:
            state = printer_state(db, printer.name)
        if state and not state["online"] and state["next_poll_at"] > queue.stamp(now):
            return f"offline until {state['next_poll_at']}: {state['last_problem']}"
        try:
            status = parse_hs(self.transport_factory(printer.url).query(b"~HS", HS_FRAMES))
        except NotDelivered as err:
            return self._mark_offline(printer.name, now, f"no status ({err})")
        except StatusTimeout as err:
            return self._mark_offline(printer.name, now, self._precise_errors(printer) or f"no status ({err})")
        except StatusParseError as err:
            return self._mark_offline(printer.name, now, f"unreadable status ({err})")
        if not status.ready:
            return self._mark_offline(printer.name, now, self._precise_errors(printer) or ", ".join(status.problems))
        self._mark_online(printer.name, now)
        return ""

    def _precise_errors(self, printer: PrinterConfig) -> str:
        return extended_errors(self.transport_factory(printer.url))

    def _send(self, job: queue.PrintJob, printer: PrinterConfig, now: datetime) -> bool:
        try:
            self.transport_factory(printer.url).send(job.zpl.encode("utf-8"))
        except NotDelivered as err:
            self._mark_offline(printer.name, now, str(err))
            self._retry_later(job, now, "not_delivered", str(err))
            return False
        except DeliveryUncertain as err:
            self._mark_offline(printer.name, now, str(err))
            with write_transaction(self.db_path) as db:
                queue.update_job(db, job.job_id, now, status=queue.AWAITING_CONFIRMATION,
                                 attempts=job.attempts + 1, last_error=str(err))
                queue.record_outcome(db, job.job_id, printer.name, "may_have_printed", now, str(err))
            log.warning("Print job %s may have printed on %s; waiting for an operator", job.job_id, printer.name)
            return False
        with write_transaction(self.db_path) as db:
            queue.update_job(db, job.job_id, now, status=queue.SENT, attempts=job.attempts + 1, last_error="")
            queue.record_outcome(db, job.job_id, printer.name, "sent", now)
        return True

    def _reroute_or_hold(self, job: queue.PrintJob, printer: PrinterConfig, now: datetime, problem: str) -> None:
        fallback = self.config.printers.get(printer.fallback)
        if fallback and job.attempts == 0 and (fallback.dpi, fallback.size) == (printer.dpi, printer.size):
            with write_transaction(self.db_path) as db:
                for waiting in queue.jobs(db, queue.QUEUED):
                    if waiting.printer == printer.name and waiting.attempts == 0:
                        queue.update_job(db, waiting.job_id, now, printer=fallback.name)
                        queue.record_outcome(db, waiting.job_id, fallback.name, "rerouted",
                                             now, f"from {printer.name}: {problem}")
            return
        self._hold(job, now, problem)

    def _hold(self, job: queue.PrintJob, now: datetime, problem: str) -> None:
        with write_transaction(self.db_path) as db:
            queue.update_job(db, job.job_id, now, last_error=problem)

    def _retry_later(self, job: queue.PrintJob, now: datetime, outcome: str, detail: str) -> None:
        with write_transaction(self.db_path) as db:
            queue.update_job(db, job.job_id, now, attempts=job.attempts + 1, last_error=detail,
                             next_attempt_at=queue.stamp(now + self.backoff(job.attempts + 1)))
            queue.record_outcome(db, job.job_id, job.printer, outcome, now, detail)

    def _mark_offline(self, name: str, now: datetime, problem: str) -> str:
        with write_transaction(self.db_path) as db:
            state = printer_state(db, name)
            failures = (state["failures"] if state else 0) + 1
            save_printer_state(db, name, False, failures, queue.stamp(now + self.backoff(failures)), problem, now)
        log.warning("Printer %s offline: %s", name, problem)
        return problem

    def _mark_online(self, name: str, now: datetime) -> None:
        with write_transaction(self.db_path) as db:
            save_printer_state(db, name, True, 0, "", "", now)


def extended_errors(transport) -> str:
    """Ask ~HQES what is wrong: Zebras answer it even while ~HS stays silent (media or ribbon out, head open)."""
    try:
        flags = parse_hqes(transport.query(b"~HQES", HQES_FRAMES))
    except (StatusTimeout, NotDelivered, StatusParseError):
        return ""  # older firmware without ~HQES: the ~HS words have to do
    return ", ".join(f"{error}: {WHAT_TO_DO[error]}" if error in WHAT_TO_DO else error
                     for error in sorted(flags.errors))


def printer_state(db, name: str) -> dict | None:
    """Return the stored online/offline state of a printer, or None if never polled."""
    row = db.execute("SELECT printer, online, failures, next_poll_at, last_problem FROM edge_printer_state"
                     " WHERE printer = ?", [name]).fetchone()
    return dict(zip(("printer", "online", "failures", "next_poll_at", "last_problem"), row)) if row else None


def save_printer_state(db, name: str, online: bool, failures: int, next_poll_at: str, problem: str,
                       now: datetime) -> None:
    """Store a printer's online/offline state inside the caller's transaction."""
    db.execute("INSERT INTO edge_printer_state (printer, online, failures, next_poll_at, last_problem, updated_at)"
               " VALUES (?,?,?,?,?,?) ON CONFLICT (printer) DO UPDATE SET online = excluded.online,"
               " failures = excluded.failures, next_poll_at = excluded.next_poll_at,"
               " last_problem = excluded.last_problem, updated_at = excluded.updated_at",
               [name, int(online), failures, next_poll_at, problem, queue.stamp(now)])
