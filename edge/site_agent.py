"""The site agent: the one process that owns sync and the print queue when HTTP runs in several worker processes.

`wes-edge serve --workers N` starts it next to the HTTP workers. It runs the handheld's hot commands for them
(edge/adapters/command_writer.py), watches the database for the workers' other commits (they cannot nudge it),
publishes its link state for their health answers, prunes old acked outbox rows, logs outbox budget alarms, and
drains the print queue.
"""
import logging
import threading
import time
from dataclasses import dataclass, field

from edge.adapters.central_inbox import apply_command
from edge.adapters.command_writer import writer_settings_from_env
from edge.adapters.migrations import init_database
from edge.devices.dispatcher import PrintDispatcher
from edge.devices.print_worker import PrintQueueWorker
from sync.link_status import CommitWatcher, publish_link_status
from sync.outbox_budget import OutboxBudget, OutboxPruner
from sync.site_endpoint import SiteSyncEndpoint

log = logging.getLogger(__name__)
MB = 1024 * 1024


@dataclass
class LinkStatusPublisher:
    """A pump: store the endpoint's live link state about once a second."""

    endpoint: SiteSyncEndpoint
    every: float = 1.0
    _next: float = field(default=0.0, init=False)

    def __call__(self) -> None:
        if time.monotonic() >= self._next:
            self._next = time.monotonic() + self.every
            publish_link_status(self.endpoint.db_path, "up", self.endpoint.health())


def run_site_agent(site_id: str, db_path: str, mqtt_url: str, stop: threading.Event, *, resend_after: float = 30.0,
                   mqtt_username: str | None = None, mqtt_password: str | None = None, mqtt_ca_file: str | None = None,
                   outbox_budget_mb: float = 1024.0, outbox_retention_hours: float = 168.0,
                   devices_path: str | None = None) -> None:
    """Run sync (and the print queue with a devices config) until `stop` is set."""
    from edge.bootstrap import load_site_devices, start_command_writer
    from edge.serving import settle_garbage_collector

    init_database(db_path, site_id)
    endpoint = SiteSyncEndpoint(db_path, site_id, mqtt_url, apply_command, resend_after=resend_after,
                                username=mqtt_username, password=mqtt_password, ca_file=mqtt_ca_file)
    endpoint.link.add_pump(CommitWatcher(db_path, endpoint.nudge))
    endpoint.link.add_pump(LinkStatusPublisher(endpoint))
    endpoint.link.add_pump(OutboxPruner(db_path, outbox_retention_hours))
    endpoint.link.add_pump(OutboxBudget(db_path, int(outbox_budget_mb * MB)).level)
    printer = writer = None
    devices = load_site_devices(devices_path, site_id, db_path) if devices_path else None
    if devices is not None:
        printer = PrintQueueWorker(PrintDispatcher(db_path, devices))
    endpoint.start()
    if printer is not None:
        printer.start()
    if (writer_settings := writer_settings_from_env()) is not None:
        writer = start_command_writer(db_path, writer_settings, devices, on_commit=endpoint.nudge)
    settle_garbage_collector()  # the command writer answers every worker: no long collections in its process
    log.info("site agent for %s running%s", site_id, " (command writer on)" if writer else "")
    try:
        stop.wait()
    finally:
        if writer is not None:
            writer.stop()
        if printer is not None:
            printer.stop()
        endpoint.stop()
        log.info("site agent for %s stopped", site_id)
