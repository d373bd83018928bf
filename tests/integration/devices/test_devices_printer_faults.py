"""Printer faults the dispatcher must tell apart: named errors from ~HQES, and jobs cut off mid-send."""
import pytest
from devices_support import SERIES, dispatcher_for
from fake_zebra_printer import (CLOSE_MID_SEND, HEAD_OPEN, PAPER_OUT, READY, RIBBON_OUT, SLOW_DRAIN, STALL_MID_SEND,
                                extended_status_reply)
from test_devices_print_queue import pack_printer, queue_shipping_labels

from edge.devices import print_queue as queue
from edge.devices.dispatcher import PrintDispatcher, printer_state
from edge.devices.registry import PrinterConfig
from protocols.devices.host_status import parse_hqes
from protocols.devices.transports import transport_for_url
from sync.sqlite_store import write_transaction


def test_the_fake_answers_hqes_in_the_documented_layout():
    flags = parse_hqes(extended_status_reply(errors=0x6, warnings=0x8))
    assert flags.errors == {"ribbon out", "head open"} and flags.warnings == {"paper near end"}


@pytest.mark.parametrize(("state", "problem"), [
    (RIBBON_OUT, "ribbon out: load a ribbon"),
    (HEAD_OPEN, "head open: close the printhead"),
    (PAPER_OUT, "media out: load labels"),
])
def test_silent_host_status_is_explained_by_extended_status(db_path, clock, printer, state, problem):
    queue_shipping_labels(db_path, clock.now, 1)
    printer.set_state(state)
    assert dispatcher_for(db_path, pack_printer(printer.url)).drain(clock.now) == 0
    with write_transaction(db_path) as db:
        assert printer_state(db, "PACK-1")["last_problem"] == problem
        assert queue.jobs(db)[0].status == queue.QUEUED and queue.jobs(db)[0].last_error == problem
    assert printer.printed == [] and printer.held == []


def test_a_printer_without_hqes_keeps_the_host_status_words(db_path, clock):
    """A serial printer that never answers: the problem says so instead of naming a guess."""
    queue_shipping_labels(db_path, clock.now, 1)
    dispatcher = dispatcher_for(db_path, PrinterConfig("PACK-1", "loop://", station="PACK"))
    assert dispatcher.drain(clock.now) == 0
    with write_transaction(db_path) as db:
        assert printer_state(db, "PACK-1")["last_problem"].startswith("no status")


@pytest.mark.parametrize("state", [STALL_MID_SEND, CLOSE_MID_SEND, SLOW_DRAIN])
def test_a_job_cut_off_mid_send_waits_for_the_operator(db_path, clock, printer, state):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    printer.set_state(state)
    printer.drain_bytes, printer.drain_pause = 16, 0.2  # a 2 KB label would take half a minute
    dispatcher = dispatcher_for(db_path, pack_printer(printer.url))
    assert dispatcher.drain(clock.now) == 0
    printer.set_state(READY)
    assert dispatcher.drain(clock.advance(3600)) == 0  # never resent on its own
    with write_transaction(db_path) as db:
        job = queue.get_job(db, job_id)
        assert job.status == queue.AWAITING_CONFIRMATION
        assert queue.outcomes(db, job_id) == ["queued", "may_have_printed"]
    assert printer.printed == []
    if state != SLOW_DRAIN:
        assert printer.partial and printer.partial[0].startswith(b"^XA")


def test_a_slow_printer_within_the_timeout_prints(db_path, clock, printer):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    printer.set_state(SLOW_DRAIN)
    printer.drain_bytes, printer.drain_pause = 1024, 0.01
    dispatcher = PrintDispatcher(db_path, dispatcher_for(db_path).config,
                                 transport_factory=lambda url: transport_for_url(url, 1.0, 10.0))
    dispatcher.config = dispatcher.config.with_printer(pack_printer(printer.url))
    assert dispatcher.drain(clock.now) == 1
    assert len(printer.printed) == 1 and SERIES.sscc(1000).encode() in printer.printed[0]
