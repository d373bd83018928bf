"""The print queue against a fake Zebra on loopback: no label is lost, none printed twice by us."""
from devices_support import SERIES, dispatcher_for
from fake_zebra_printer import READY, STALL, FakeZebraPrinter

from edge.devices import print_queue as queue
from edge.devices.dispatcher import printer_state
from edge.devices.migrations import apply_device_migrations
from edge.devices.registry import PrinterConfig
from protocols.labels import Address, CartonContent, LogisticLabel, logistic_label
from sync.sqlite_store import write_transaction


def pack_printer(url, name="PACK-1", fallback=""):
    return PrinterConfig(name, url, station="PACK", fallback=fallback)


def queue_shipping_labels(db_path, now, count, printer="PACK-1"):
    """Issue an SSCC and queue its label in one transaction per carton, as packing does."""
    ids = []
    for carton in range(1, count + 1):
        with write_transaction(db_path) as db:
            sscc = queue.issue_sscc(db, SERIES)
            zpl = logistic_label(LogisticLabel(sscc, Address("WES DC01"), Address("Corner Shop"), "SO-1001",
                                               f"{carton}/{count}", (CartonContent("SKU-BLUE-MUG", 6),)))
            ids.append(queue.enqueue_job(db, printer, "logistic", zpl, now, ref="SO-1001", sscc=sscc))
    return ids


def ssccs_in(formats):
    return [f.split(b">;>800")[1][:18].decode() for f in formats]


def test_jobs_print_in_order_and_record_sent(db_path, clock, printer):
    ids = queue_shipping_labels(db_path, clock.now, 3)
    assert dispatcher_for(db_path, pack_printer(printer.url)).drain(clock.now) == 3
    assert ssccs_in(printer.printed) == [SERIES.sscc(1000), SERIES.sscc(1001), SERIES.sscc(1002)]
    with write_transaction(db_path) as db:
        assert [j.status for j in queue.jobs(db)] == ["sent"] * 3
        assert queue.outcomes(db, ids[0]) == ["queued", "sent"]


def test_paper_out_mid_wave_never_loses_a_label(db_path, clock, printer):
    printer.paper_runs_out_after = 4
    queue_shipping_labels(db_path, clock.now, 10)
    dispatcher = dispatcher_for(db_path, pack_printer(printer.url))
    assert dispatcher.drain(clock.now) == 4
    with write_transaction(db_path) as db:
        assert len(queue.jobs(db, queue.QUEUED)) == 6
        assert printer_state(db, "PACK-1")["online"] == 0
    assert dispatcher.drain(clock.advance(1)) == 0  # still backing off: the printer is not even polled
    printer.set_state(READY)
    assert dispatcher.drain(clock.advance(60)) == 6
    printed = ssccs_in(printer.printed)
    assert len(printed) == 10 and len(set(printed)) == 10


def test_jobs_survive_a_restart(db_path, clock, printer):
    printer.refuse()
    queue_shipping_labels(db_path, clock.now, 2)
    assert dispatcher_for(db_path, pack_printer(printer.url)).drain(clock.now) == 0
    apply_device_migrations(db_path)  # a restarted edge applies migrations again and builds a new dispatcher
    printer.accept_again()
    assert dispatcher_for(db_path, pack_printer(printer.url)).drain(clock.advance(600)) == 2
    assert len(printer.printed) == 2


def test_reprint_reuses_the_sscc(db_path, clock, printer):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    dispatcher = dispatcher_for(db_path, pack_printer(printer.url))
    dispatcher.drain(clock.now)
    with write_transaction(db_path) as db:
        again = queue.reprint_job(db, job_id, clock.now)
        assert queue.get_job(db, again).reprint_of == job_id
    dispatcher.drain(clock.advance(1))
    assert ssccs_in(printer.printed) == [SERIES.sscc(1000)] * 2


def test_timeout_after_send_waits_for_the_operator(db_path, clock, printer):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    printer.set_state(STALL)
    dispatcher = dispatcher_for(db_path, pack_printer(printer.url))
    assert dispatcher.drain(clock.now) == 0
    printer.set_state(READY)
    assert dispatcher.drain(clock.advance(3600)) == 0  # never resent on its own
    assert len(printer.printed) == 1
    with write_transaction(db_path) as db:
        assert queue.get_job(db, job_id).status == queue.AWAITING_CONFIRMATION
        queue.confirm_job(db, job_id, printed=True, now=clock.now)
        assert queue.outcomes(db, job_id) == ["queued", "may_have_printed", "confirmed_printed"]


def test_operator_says_not_printed_and_the_same_label_goes_again(db_path, clock, printer):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    printer.set_state(STALL)
    dispatcher = dispatcher_for(db_path, pack_printer(printer.url))
    dispatcher.drain(clock.now)
    printer.set_state(READY)
    with write_transaction(db_path) as db:
        queue.confirm_job(db, job_id, printed=False, now=clock.advance(3600))
    assert dispatcher.drain(clock.now) == 1
    assert ssccs_in(printer.printed) == [SERIES.sscc(1000)] * 2


def test_a_dead_printer_hands_unsent_jobs_to_the_station_fallback(db_path, clock, printer):
    queue_shipping_labels(db_path, clock.now, 2)
    printer.refuse()
    with FakeZebraPrinter() as spare:
        dispatcher = dispatcher_for(db_path, pack_printer(printer.url, fallback="PACK-2"),
                                    pack_printer(spare.url, name="PACK-2"))
        dispatcher.drain(clock.now)
        assert dispatcher.drain(clock.advance(1)) == 2
        assert len(spare.printed) == 2

