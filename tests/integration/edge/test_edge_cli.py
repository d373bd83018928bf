"""The wes-edge command line: seed is idempotent, refuses another site's database, and every command has --help."""
import pytest

from conftest import SAMPLE_SEED, dump, outbox
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
