"""`wes-devices scanners`: the profile list, and listen through the driver on a pty scanner."""
import os
import threading

from edge.devices.cli import main


def test_profiles_lists_every_profile_with_its_setup(capsys):
    assert main(["scanners", "profiles"]) == 0
    out = capsys.readouterr().out
    assert "zebra-ssi" in out and "honeywell-serial" in out and "16 4d 0d 50 52 45" in out


def test_listen_shows_bytes_and_resolution(pty_link, capsys):
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("rc", main(
        ["scanners", "listen", "--url", pty_link.path, "--profile", "zebra-serial", "--count", "2",
         "--seconds", "5"])))
    thread.start()
    for _ in range(100):  # pyserial flushes input on open: write once the tool holds the port
        if "listening on" in (seen := capsys.readouterr().out):
            break
        threading.Event().wait(0.02)
    threading.Event().wait(0.3)
    os.write(pty_link.controller, b"]C1010501234567890010LOT42\x1d17261231\r\nLOC-A-01-03\r\n")
    thread.join(timeout=6)
    out = seen + capsys.readouterr().out
    assert result["rc"] == 0
    assert "gtin 05012345678900" in out and "refused: the scanner sent no AIM id" in out and "\\x1d17261231" in out


def test_unknown_profile_is_a_clear_error(capsys):
    assert main(["scanners", "listen", "--url", "loop://", "--profile", "acme", "--seconds", "0"]) == 2
    assert "unknown scanner profile 'acme'" in capsys.readouterr().err
