"""wes-edge release-wave: the wave rule run from a timer at a carrier's cut-off (issue 9)."""
import json

from edge.__main__ import main

from edge_api_support import outbox


def test_the_rule_releases_due_orders_and_a_second_run_finds_nothing(db_path, centre, capsys):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 1)], priority=5, ship_date="2025-03-04")
    centre.allocate("SO-2", [("SKU-KETTLE", 1)], priority=5, ship_date="2025-03-09")
    args = ["release-wave", "--site", "DC01", "--db", db_path, "--cart-slots", "6", "--ship-by", "2025-03-05",
            "--json"]
    assert main(args) == 0
    wave = json.loads(capsys.readouterr().out)
    assert wave["batches"] == [{"batch_id": "DC01-B00001", "orders": ["SO-1"]}]
    assert [e["data"]["actor"] for e in outbox(db_path) if e["type"] == "order.batched"] == ["wes-edge release-wave"]
    assert main(args[:-1]) == 0
    assert "No order to put in a wave" in capsys.readouterr().out


def test_bad_arguments_are_refused_with_a_clear_message(db_path, capsys):
    base = ["release-wave", "--site", "DC01", "--db", db_path]
    assert main([*base, "--cart-slots", "0"]) == 2
    assert "A cart has 1 to 24 slots" in capsys.readouterr().err
    try:
        main([*base, "--cart-slots", "4", "--ship-by", "friday"])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "is not a date" in capsys.readouterr().err
