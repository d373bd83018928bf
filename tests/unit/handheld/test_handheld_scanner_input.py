"""Scanner input: the shared framer and intent resolver as the handheld uses them, wedge timing, and the
serial scanner over a real pty."""
import logging
import os
import threading

import pytest

from handheld.scanner_input import SerialScanner, WedgeTiming, bundle_to_extras, deliver_frames, deliver_intent
from protocols.devices.scanners import AffixFramer

GS1_SCAN = "]C1010501234567890010LOT42\x1d17261231"


@pytest.mark.parametrize("chunks, scans", [
    ([b"LOC-A-01-01\r"], ["LOC-A-01-01"]),
    ([b"LOC-A-0", b"1-01\r\n", b"SKU-BLUE-MUG\n"], ["LOC-A-01-01", "SKU-BLUE-MUG"]),
    ([GS1_SCAN.encode() + b"\r"], [GS1_SCAN]),
    ([b"\r\n\r\n"], []),
    ([b"no suffix yet"], []),
])
def test_frames_reach_on_scan_in_any_split(chunks, scans):
    framer, got = AffixFramer(), []
    for chunk in chunks:
        deliver_frames(framer, chunk, got.append)
    assert got == scans


def test_noise_before_a_configured_prefix_is_logged_not_scanned(caplog):
    framer, got = AffixFramer(prefix=b"\x02"), []
    with caplog.at_level(logging.WARNING, logger="handheld.scanner_input"):
        deliver_frames(framer, b"zz\x02SKU-BLUE-MUG\r", got.append)
    assert got == ["SKU-BLUE-MUG"]
    assert "noise before the prefix" in caplog.text


def test_a_failing_scan_handler_does_not_stop_the_frames_after_it():
    got = []

    def on_scan(text):
        got.append(text)
        if text == "SKU-1":
            raise RuntimeError("presenter bug")

    deliver_frames(AffixFramer(), b"SKU-1\rSKU-2\r", on_scan)
    assert got == ["SKU-1", "SKU-2"]


class JavaList:
    """A java.util.List as pyjnius shows it."""

    def __init__(self, items):
        self.items = items

    def toArray(self):  # noqa: N802  (the Java method name)
        return list(self.items)


class Bundle:
    """An android.os.Bundle as pyjnius shows it."""

    def __init__(self, values):
        self.values = values

    def keySet(self):  # noqa: N802
        return JavaList(self.values)

    def get(self, key):
        return self.values[key]


def test_a_datawedge_gs1_intent_keeps_its_symbology():
    bundle = Bundle({"com.symbol.datawedge.decode_data": JavaList([b"\x1d010501234567890010LOT42\x1d17261231"]),
                     "com.symbol.datawedge.label_type": "LABEL-TYPE-CODE128",
                     "com.symbol.datawedge.source": "scanner"})
    got = []
    deliver_intent(bundle_to_extras(bundle), got.append)
    assert got == ["]C1\x1d010501234567890010LOT42\x1d17261231"]


def test_a_honeywell_intent_puts_its_aim_id_first():
    got = []
    deliver_intent(bundle_to_extras(Bundle({"data": "LOC-A-01-03", "aimId": "]C0"})), got.append)
    assert got == ["]C0LOC-A-01-03"]


def test_an_intent_without_scan_data_is_logged_not_scanned(caplog):
    got = []
    with caplog.at_level(logging.WARNING, logger="handheld.scanner_input"):
        deliver_intent(bundle_to_extras(None), got.append)
    assert got == []
    assert "scan intent ignored" in caplog.text


def test_wedge_timing_tells_scanner_from_typing():
    timing = WedgeTiming(max_gap=0.05)
    for i in range(12):
        timing.key(i * 0.004)
    assert timing.end() is True
    for at in (0.0, 0.3, 0.5):
        timing.key(at)
    assert timing.end() is False


def test_serial_scanner_reads_frames_from_a_pty():
    controller, device = os.openpty()
    scanner = SerialScanner(os.ttyname(device))
    got, done = [], threading.Event()

    def on_scan(text):
        got.append(text)
        if len(got) == 2:
            done.set()

    scanner.start(on_scan)
    try:
        os.write(controller, b"LOC-A-01-01\r" + GS1_SCAN.encode() + b"\r")
        assert done.wait(5)
    finally:
        scanner.stop()
        os.close(controller)
        os.close(device)
    assert got == ["LOC-A-01-01", GS1_SCAN]
