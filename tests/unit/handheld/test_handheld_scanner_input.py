"""Scanner framing fed with bytes, the wedge timing heuristic, and the serial scanner over a real pty."""
import os
import threading

import pytest

from handheld.scanner_input import SerialScanner, SuffixFramer, WedgeTiming


@pytest.mark.parametrize("chunks, scans", [
    ([b"LOC-A-01-01\r"], ["LOC-A-01-01"]),
    ([b"LOC-A-0", b"1-01\r\n", b"SKU-BLUE-MUG\n"], ["LOC-A-01-01", "SKU-BLUE-MUG"]),
    ([b"]C1010501234567890010LOT42\x1d17261231\r"], ["]C1010501234567890010LOT42\x1d17261231"]),
    ([b"\r\n\r\n"], []),
    ([b"no suffix yet"], []),
])
def test_suffix_framer(chunks, scans):
    framer = SuffixFramer()
    assert [s for chunk in chunks for s in framer.feed(chunk)] == scans


def test_framer_drops_runaway_data_without_suffix():
    framer = SuffixFramer(max_length=8)
    assert framer.feed(b"0123456789") == []
    assert framer.feed(b"SKU-1\r") == ["SKU-1"]


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
        os.write(controller, b"LOC-A-01-01\r]C1010501234567890010LOT42\x1d17261231\r")
        assert done.wait(5)
    finally:
        scanner.stop()
        os.close(controller)
        os.close(device)
    assert got == ["LOC-A-01-01", "]C1010501234567890010LOT42\x1d17261231"]
