"""The wes-edge command line: seed is idempotent, refuses another site's database, and every command has --help."""
import pytest

from edge_api_support import SAMPLE_SEED, dump, outbox
from edge.__main__ import main


def test_seed_twice_emits_nothing_the_second_time(tmp_path, capsys):
    db = str(tmp_path / "edge.db")
    assert main(["seed", "--site", "DC01", "--db", db, "--file", str(SAMPLE_SEED)]) == 0
    first, tables = outbox(db), dump(db)
    assert main(["seed", "--site", "DC01", "--db", db, "--file", str(SAMPLE_SEED)]) == 0
    assert outbox(db) == first and dump(db) == tables
    assert [r["data"]["qty_delta"] for r in first if r["type"] == "stock.changed"] == [400, 400, 300, 120, 150, 200,
                                                                                       100]
    assert "'stock_changes': 0" in capsys.readouterr().out


def test_seed_refuses_a_file_or_database_of_another_site(tmp_path, capsys):
    db = str(tmp_path / "edge.db")
    assert main(["seed", "--site", "DC02", "--db", db, "--file", str(SAMPLE_SEED)]) == 2
    assert "is for site DC01, not DC02" in capsys.readouterr().err
    assert not (tmp_path / "edge.db").exists()
    assert main(["seed", "--site", "DC01", "--db", db, "--file", str(SAMPLE_SEED)]) == 0
    capsys.readouterr()
    other = tmp_path / "dc02.json"
    other.write_text('{"site_id": "DC02"}')
    assert main(["seed", "--site", "DC02", "--db", db, "--file", str(other)]) == 2
    assert "belongs to site DC01, not DC02" in capsys.readouterr().err


def test_seed_reports_an_invalid_file(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"site_id": "DC01", "stock": [{"location": "A-01-01", "sku": "SKU-BLUE-MUG", "qty": -1}]}')
    assert main(["seed", "--site", "DC01", "--db", str(tmp_path / "edge.db"), "--file", str(bad)]) == 2
    assert "not valid" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"], ["seed", "--help"]])
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0 and "usage: wes-edge" in capsys.readouterr().out


def serve_argv(tmp_path, *extra) -> list[str]:
    return ["serve", "--site", "DC01", "--db", str(tmp_path / "edge.db"), "--mqtt-url", "mqtt://127.0.0.1:9", *extra]


def test_serve_refuses_an_unreadable_password_file_before_starting(tmp_path, capsys):
    missing = str(tmp_path / "no-such-password")
    assert main(serve_argv(tmp_path, "--mqtt-username", "edge-dc01", "--mqtt-password-file", missing)) == 2
    err = capsys.readouterr().err
    assert f"cannot read the MQTT password file {missing}" in err and "Check the path" in err
    assert not (tmp_path / "edge.db").exists()
    empty = tmp_path / "empty-password"
    empty.write_text("\n")
    assert main(serve_argv(tmp_path, "--mqtt-username", "edge-dc01", "--mqtt-password-file", str(empty))) == 2
    assert "is empty" in capsys.readouterr().err


def test_serve_needs_a_username_with_a_password_file(tmp_path, capsys):
    secret = tmp_path / "password"
    secret.write_text("s3cret\n")
    assert main(serve_argv(tmp_path, "--mqtt-password-file", str(secret))) == 2
    assert "--mqtt-password-file needs --mqtt-username" in capsys.readouterr().err


def test_serve_never_takes_the_password_itself_on_the_command_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(serve_argv(tmp_path, "--mqtt-username", "edge-dc01", "--mqtt-password", "s3cret"))
    assert exit_info.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_serve_reports_an_unusable_devices_config(tmp_path, capsys):
    devices = tmp_path / "devices.json"
    devices.write_text('{"printers": []}')
    assert main(serve_argv(tmp_path, "--devices", str(devices))) == 2
    assert f"Devices config {devices} is not usable" in capsys.readouterr().err
