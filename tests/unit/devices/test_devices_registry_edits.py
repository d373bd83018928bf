"""Registry edits are checked before anything is saved; saving is atomic and keeps scanners."""
import os

import pytest

from edge.devices.printer_admin import check_edited_printer, check_printer_url
from edge.devices.registry import (DeviceConfig, PrinterConfig, RegistryError, ScannerConfig, load_device_config,
                                   save_device_config)
from protocols.labels import SsccSeries

PACK_1 = PrinterConfig("PACK-1", "tcp://10.20.0.31:9100", station="PACK", fallback="PACK-2")
PACK_2 = PrinterConfig("PACK-2", "tcp://10.20.0.32:9100", station="PACK")
RACK_1 = PrinterConfig("RACK-1", "/dev/ttyUSB0", dpi=300, height_mm=50.8)
SITE = DeviceConfig("DC01", SsccSeries("7612345", 3, 1000, 1999), {p.name: p for p in (PACK_1, PACK_2, RACK_1)},
                    {"SCAN-1": ScannerConfig("SCAN-1", "/dev/ttyACM0", "zebra-ssi", "PACK")})


@pytest.mark.parametrize("url", ["tcp://10.20.0.31:9100", "tcp://printer.dc01.local", "/dev/ttyUSB0",
                                 "/dev/serial/by-id/usb-Zebra_ZT410-if00", "COM3", "rfc2217://10.20.0.9:4001"])
def test_printer_urls_that_are_accepted(url):
    check_printer_url(url)


@pytest.mark.parametrize("url", ["http://10.20.0.31", "tcp://", "tcp://host:70000", "tcp://host:9100/x", "printer",
                                 "loop://", "/etc/passwd-ish path", "ftp://x"])
def test_printer_urls_that_are_refused(url):
    with pytest.raises(RegistryError):
        check_printer_url(url)


@pytest.mark.parametrize(("printer", "words"), [
    (PrinterConfig("PACK-3", "tcp://h:9100", dpi=600), "203 or 300"),
    (PrinterConfig("PACK-3", "tcp://h:9100", fallback="RACK-1"), "same resolution and label size"),
    (PrinterConfig("PACK-3", "tcp://h:9100", fallback="NOPE"), "not in the registry"),
    (PrinterConfig("PACK-2", "tcp://h:9100", dpi=300), "PACK-1 (203 dpi, 101.6 x 152.4 mm) falls back to PACK-2"),
    (PrinterConfig("PACK-1", "tcp://h:9100", height_mm=101.6, station="PACK"), "4 x 6 in"),
    (PrinterConfig("a b", "tcp://h:9100"), "name"),
    (PrinterConfig("PACK-3", "tcp://h:9100", width_mm=500), "outside what printers take"),
])
def test_edits_that_do_not_fit_are_refused(printer, words):
    with pytest.raises(RegistryError) as refused:
        check_edited_printer(SITE, printer)
    assert words in str(refused.value)


def test_a_fitting_edit_has_no_warnings():
    assert check_edited_printer(SITE, PrinterConfig("PACK-3", "tcp://h:9100", fallback="PACK-2")) == []


def test_save_is_atomic_keeps_scanners_and_mode(tmp_path):
    path = tmp_path / "devices.json"
    save_device_config(path, SITE)
    os.chmod(path, 0o640)
    edited = SITE.with_printer(PrinterConfig("PACK-3", "tcp://h:9100")).without_printer("RACK-1")
    save_device_config(path, edited)
    assert load_device_config(path) == edited
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in tmp_path.iterdir()] == ["devices.json"]


def test_a_failed_save_leaves_the_old_file_whole(tmp_path):
    path = tmp_path / "devices.json"
    save_device_config(path, SITE)
    before = path.read_text()
    broken = SITE.with_printer(PrinterConfig("PACK-3", "tcp://h:9100", dpi=object()))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        save_device_config(path, broken)
    assert path.read_text() == before and [p.name for p in tmp_path.iterdir()] == ["devices.json"]
