"""The registry's devices with their live state, as the print worker last saw them (no device I/O here)."""
import os
from dataclasses import asdict
from urllib.parse import urlparse

from . import print_queue as queue
from .registry import DeviceConfig, ScannerConfig

ONLINE, OFFLINE, UNKNOWN = "online", "offline", "unknown"


def printer_overview(db, devices: DeviceConfig) -> list[dict]:
    """Return every printer of the registry with its state, last problem, next poll and job counts."""
    states = {row[0]: row for row in db.execute(
        "SELECT printer, online, failures, next_poll_at, last_problem, updated_at FROM edge_printer_state")}
    counts = {(printer, status): n for printer, status, n in db.execute(
        "SELECT printer, status, count(*) FROM edge_print_jobs WHERE status IN (?, ?) GROUP BY printer, status",
        [queue.QUEUED, queue.AWAITING_CONFIRMATION])}
    overview = []
    for printer in devices.printers.values():
        state = states.get(printer.name)
        overview.append({
            **asdict(printer),
            "state": UNKNOWN if state is None else ONLINE if state[1] else OFFLINE,
            "last_problem": state[4] if state else "",
            "next_poll_at": state[3] if state and not state[1] else "",
            "checked_at": state[5] if state else "",
            "jobs_queued": counts.get((printer.name, queue.QUEUED), 0),
            "jobs_awaiting_confirmation": counts.get((printer.name, queue.AWAITING_CONFIRMATION), 0)})
    return overview


def scanner_port_state(scanner: ScannerConfig) -> str:
    """Say whether a serial scanner's port is there: 'present', 'missing', or 'unknown' for network URLs."""
    if "://" in scanner.url and urlparse(scanner.url).scheme not in ("", "file"):
        return UNKNOWN
    return "present" if os.path.exists(scanner.url) else "missing"


def scanner_overview(devices: DeviceConfig) -> list[dict]:
    """Return every configured scanner with whether its port is present."""
    return [{**asdict(s), "port": scanner_port_state(s)} for s in devices.scanners.values()]
