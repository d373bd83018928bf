"""Sites, items, presence, sync status, health, OpenAPI, migrations and the CLI."""
import json

import pytest

from central.__main__ import main
from central.adapters.hub_hooks import site_state_recorder
from central.bootstrap import bootstrap_bus
from central.web import create_app
from central_support import MUG, dump, outbox
from protocols.messages.central_commands import load_central_command_data


def test_an_item_change_is_queued_to_every_site_once(seeded, db_path, sync):
    before = outbox(db_path)
    nudges = sync.nudges
    reply = seeded.put("/api/v1/items/SKU-BLUE-MUG", json={"description": "Blue mug 400 ml", "gtins": []})
    assert reply.json == {"sku": "SKU-BLUE-MUG", "description": "Blue mug 400 ml", "gtins": [], "tracking": "none"}
    new = [row for row in outbox(db_path) if row not in before]
    assert sorted(row["stream"] for row in new) == ["DC01", "DC02"]
    assert all(load_central_command_data(row["type"], row["data"])["description"] == "Blue mug 400 ml"
               for row in new)
    assert sync.nudges == nudges + 1
    seeded.put("/api/v1/items/SKU-BLUE-MUG", json={"description": "Blue mug 400 ml", "gtins": []})
    assert len(outbox(db_path)) == len(before) + 2  # unchanged: nothing more to send


def test_a_tracked_item_is_sent_with_its_tracking(seeded, db_path):
    before = outbox(db_path)
    reply = seeded.put("/api/v1/items/SKU-EYE-DROPS", json={"description": "Eye drops 10 ml", "tracking": "lot_expiry"})
    assert reply.status_code == 200 and reply.json["tracking"] == "lot_expiry"
    new = [row for row in outbox(db_path) if row not in before]
    assert {load_central_command_data(row["type"], row["data"])["tracking"] for row in new} == {"lot_expiry"}
    refused = seeded.put("/api/v1/items/SKU-EYE-DROPS", json={"tracking": "batch"})
    assert refused.status_code == 422 and "tracking" in refused.json["errors"]["json"]


def test_a_new_site_is_sent_the_items_known_so_far(client, db_path):
    client.put("/api/v1/items/SKU-BLUE-MUG", json=MUG)
    assert client.post("/api/v1/sites", json={"site_id": "DC03", "name": "Derby"}).status_code == 201
    assert [(r["stream"], r["seq"], r["type"], r["data"]["sku"]) for r in outbox(db_path)] == [
        ("DC03", 1, "item.upserted", "SKU-BLUE-MUG")]


def test_items_and_sites_are_listed(seeded):
    assert [i["sku"] for i in seeded.get("/api/v1/items").json] == ["SKU-BLUE-MUG", "SKU-KETTLE"]
    assert [i["sku"] for i in seeded.get("/api/v1/items?limit=1&offset=1").json] == ["SKU-KETTLE"]
    assert seeded.get("/api/v1/items/SKU-BLUE-MUG").json == dict(MUG, sku="SKU-BLUE-MUG", tracking="none")
    assert [s["site_id"] for s in seeded.get("/api/v1/sites").json] == ["DC01", "DC02"]


def test_site_presence_is_recorded_for_known_sites_only(seeded, db_path):
    record = site_state_recorder(bootstrap_bus(db_path).handle)
    record("DC01", {"v": 1, "online": True, "epoch": 2, "last_seq": 7, "outbox_depth": 0, "ts": "t"})
    before = dump(db_path)
    record("DC77", {"v": 1, "online": True})
    assert dump(db_path) == before
    site = seeded.get("/api/v1/sites/DC01").json
    assert site["online"] is True and site["last_seen_at"]
    assert site["last_state"]["epoch"] == 2
    sync_view = seeded.get("/api/v1/sync").json
    assert sync_view["configured"] is True and sync_view["connected"] is True
    assert [(s["site_id"], s["online"]) for s in sync_view["sites"]] == [("DC01", True), ("DC02", False)]


def test_without_sync_the_sync_view_says_so(db_path):
    client = create_app({"DB_PATH": db_path}).test_client()
    assert client.get("/api/v1/sync").json == {"configured": False}
    assert client.get("/health").json == {"status": "ok"}


def test_openapi_lists_the_api(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"] == "3.0.3"
    assert {"/api/v1/orders", "/api/v1/orders/{order_id}", "/api/v1/sites/{site_id}/stock",
            "/api/v1/items/{sku}", "/api/v1/sync", "/health"} <= set(spec["paths"])


def test_migrations_can_run_on_every_start(db_path, client):
    client.post("/api/v1/sites", json={"site_id": "DC01", "name": "Leeds"})
    before = dump(db_path)
    create_app({"DB_PATH": db_path})
    assert dump(db_path) == before


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"sites": [{"site_id": "DC01", "name": "Leeds"}],
                                "items": [dict(MUG, sku="SKU-BLUE-MUG")]}))
    return str(path)


def test_seed_loads_sites_and_items_once(db_path, catalogue, capsys):
    assert main(["seed", "--db", db_path, "--file", catalogue]) == 0
    first = dump(db_path)
    assert main(["seed", "--db", db_path, "--file", catalogue]) == 0
    assert "'sites_changed': 0, 'items_changed': 0" in capsys.readouterr().out
    assert dump(db_path) == first
    assert [(r["stream"], r["type"]) for r in outbox(db_path)] == [("DC01", "item.upserted")]


def test_seed_refuses_a_bad_file_and_says_why(db_path, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"items": [{"sku": "SKU-X", "gtins": ["12"]}]}))
    assert main(["seed", "--db", db_path, "--file", str(bad)]) == 2
    assert "invalid entries" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"], ["seed", "--help"]])
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    assert "usage: wes-central" in capsys.readouterr().out
