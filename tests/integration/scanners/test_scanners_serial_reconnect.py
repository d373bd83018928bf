"""The serial scanner driver on a real pty: prefix/suffix framing, AIM ids, and reconnect after an unplug."""
import os
import time

from edge.devices.serial_scanner import NO_AIM_ID, ReconnectBackoff, SerialScannerDriver
from protocols.devices.scanners.framing import LineCodec
from protocols.devices.scanners.profiles import profile


def wait_until(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_reads_framed_scans_with_aim_ids(pty_link, reads):
    driver = SerialScannerDriver.for_profile(pty_link.path, profile("honeywell-serial"), reads)
    driver.start()
    try:
        assert driver.connected.wait(5)  # pyserial flushes input on open: write only after this
        os.write(pty_link.controller, b"]C1010501234567890010LOT4")
        os.write(pty_link.controller, b"2\x1d17261231\r\nLOC-A-01-03\r\n")
        first, second = reads.wait_for(2)
    finally:
        driver.stop()
    assert (first.scan.value, first.scan.lot, first.scan.symbology) == ("05012345678900", "LOT42", "]C1")
    assert second.scan is None and second.error == NO_AIM_ID and second.frame.raw == b"LOC-A-01-03"


def test_prefix_framing_and_wedge_gs_substitute(pty_link, reads):
    driver = SerialScannerDriver(pty_link.path, reads, codec=LineCodec(prefix=b"\x02"), gs_substitute="<GS>")
    driver.start()
    try:
        assert driver.connected.wait(5)
        os.write(pty_link.controller, b"noise\x02]C1010501234567890010LOT42<GS>17261231\r")
        [read] = reads.wait_for(1)
    finally:
        driver.stop()
    assert read.scan.expiry == "261231" and read.scan.lot == "LOT42"


def test_reconnects_when_the_scanner_is_unplugged_and_plugged_back(pty_link, reads):
    driver = SerialScannerDriver(pty_link.path, reads, backoff=ReconnectBackoff(0.05, 0.2))
    driver.start()
    try:
        assert driver.connected.wait(5)
        os.write(pty_link.controller, b"LOC-A-01-03\r")
        reads.wait_for(1)
        pty_link.unplug()
        assert wait_until(lambda: not driver.connected.is_set())  # noticed on its next read (0.1 s timeout)
        assert driver.last_error
        pty_link.plug()
        assert driver.connected.wait(5)
        os.write(pty_link.controller, b"SKU-BLUE-MUG\r")
        values = [r.scan.value for r in reads.wait_for(2)]
    finally:
        driver.stop()
    assert values == ["LOC-A-01-03", "SKU-BLUE-MUG"]
    assert driver.health()["opens"] == 2


def test_backoff_doubles_to_its_cap_and_resets():
    backoff = ReconnectBackoff(0.2, 1.0)
    assert [backoff.next_delay() for _ in range(5)] == [0.2, 0.4, 0.8, 1.0, 1.0]
    backoff.reset()
    assert backoff.next_delay() == 0.2
