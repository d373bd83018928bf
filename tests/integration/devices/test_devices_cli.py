"""wes-devices against a fake Zebra, a pty scanner and the offline renderer."""
import json
import os
import threading
import time

import pytest
from fake_zebra_printer import PAPER_OUT, RIBBON_OUT

from edge.devices.cli import main
from edge.devices.preview import renderer_problem

SUBCOMMANDS = ["printers", "devices", "preview", "print-test", "status", "test-scan", "scanners",
               "scanners profiles", "scanners listen"]


@pytest.fixture
def config_file(tmp_path, printer):
    path = tmp_path / "devices.json"
    path.write_text(json.dumps({
        "site_id": "DC01", "sscc": {"company_prefix": "7612345", "extension_digit": 3, "first_serial": 1000,
                                    "last_serial": 1999},
        "printers": [{"name": "PACK-1", "url": printer.url, "dpi": 203, "station": "PACK"}]}))
    return str(path)


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_answers_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*command.split(), "--help"])
    assert exit_.value.code == 0 and "usage: wes-devices" in capsys.readouterr().out


def test_printers_lists_the_registry(config_file, capsys):
    assert main(["printers", "--config", config_file]) == 0
    assert "PACK-1" in capsys.readouterr().out


def test_print_test_reaches_the_printer(config_file, printer):
    assert main(["print-test", "--config", config_file, "--printer", "PACK-1", "--label", "location"]) == 0
    assert b"LOC-A-01-03" in printer.printed[0]


def test_status_reports_ready_then_explains_silence(config_file, printer, capsys):
    assert main(["status", "--config", config_file, "--printer", "PACK-1", "--timeout", "0.3"]) == 0
    assert "READY" in capsys.readouterr().out
    printer.set_state(PAPER_OUT)
    assert main(["status", "--url", printer.url, "--timeout", "0.3"]) == 1
    assert "out of paper" in capsys.readouterr().out


def test_unknown_printer_is_a_clear_error(config_file, capsys):
    assert main(["status", "--config", config_file, "--printer", "PACK-9"]) == 2
    assert "known printers: PACK-1" in capsys.readouterr().err


def test_preview_writes_a_png(tmp_path):
    assert renderer_problem() is None, f"{renderer_problem()}: run `make label-renderer`"
    out = tmp_path / "label.png"
    assert main(["preview", "--label", "logistic", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")


def test_test_scan_shows_bytes_and_resolution_from_a_pty_scanner(capsys):
    controller, device = os.openpty()
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault(
        "rc", main(["test-scan", "--url", os.ttyname(device), "--count", "2", "--seconds", "5"])))
    thread.start()
    time.sleep(0.3)  # pyserial flushes input on open: write only after the tool has the port open
    os.write(controller, b"]C1010731234567890917261231\x1d10LOT42\r\nLOC-A-01-03\r\n")
    thread.join(timeout=6)
    os.close(controller)
    os.close(device)
    out = capsys.readouterr().out
    assert result["rc"] == 0
    assert "\\x1d10LOT42" in out and "gtin 07312345678909" in out and "location LOC-A-01-03" in out


def test_devices_lists_printers_and_scanners_with_live_status(tmp_path, printer, spare, capsys):
    path = tmp_path / "devices.json"
    path.write_text(json.dumps({"site_id": "DC01", "printers": [
        {"name": "PACK-1", "url": printer.url}, {"name": "PACK-2", "url": spare.url},
        {"name": "PACK-3", "url": "tcp://127.0.0.1:9"}],
        "scanners": [{"name": "PACK-SCAN-1", "url": "/dev/null"}]}))
    spare.set_state(RIBBON_OUT)
    assert main(["devices", "--config", str(path), "--timeout", "0.3"]) == 1
    out = capsys.readouterr().out
    assert f"PACK-1       {printer.url}" in out and "READY" in out
    assert "PACK-2" in out and "NOT READY: ribbon out: load a ribbon" in out
    assert "PACK-3" in out and "OFFLINE: cannot connect" in out
    assert "scanner PACK-SCAN-1" in out and "port present" in out
    spare.set_state("ready")
    path.write_text(json.dumps({"site_id": "DC01", "printers": [{"name": "PACK-1", "url": printer.url}],
                                "scanners": [{"name": "DOCK-SCAN-1", "url": "/dev/serial/by-id/usb-gone"}]}))
    assert main(["devices", "--config", str(path), "--timeout", "0.3"]) == 1
    assert "port missing" in capsys.readouterr().out
    path.write_text(json.dumps({"site_id": "DC01", "printers": [{"name": "PACK-1", "url": printer.url}]}))
    assert main(["devices", "--config", str(path), "--timeout", "0.3"]) == 0
