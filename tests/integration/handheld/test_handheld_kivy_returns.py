"""The real Kivy app, rendered offscreen, takes an RMA: one item restocked at its location, one scrapped."""
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from edge.adapters.central_inbox import apply_command
from edge.bootstrap import create_enrolment_code
from handheld.edge_client import EdgeClient
from sync.sqlite_store import write_transaction

from handheld_support import ITEMS

DRIVER = Path(__file__).with_name("kivy_returns_driver.py")


def ship(live_edge, order_id: str) -> None:
    """Pick, pack and ship the order through the edge API, as the floor would have."""
    client = EdgeClient(live_edge.url, "HH-SHIP")
    client.sign_in("BADGE-0002", "2345")
    while (task := client.next_task()) is not None:
        client.scan_location(task["task_id"], task["location_barcode"])
        client.pick(task["task_id"], task["sku"], task["qty"])
    client.close_carton(order_id)
    client.ship(order_id)


def test_wedge_scanner_restocks_one_returned_item_and_scraps_another(tmp_path, live_edge):
    live_edge.allocate("SO-UI-1", [("SKU-KETTLE", 1), ("SKU-BLUE-MUG", 1)])
    ship(live_edge, "SO-UI-1")
    event = {"seq": 2, "event_id": str(uuid.uuid4()), "type": "return.expected", "occurred_at": "", "recorded_at": "",
             "device_id": None, "op_id": None,
             "data": {"rma_id": "RMA-UI-1", "order_id": "SO-UI-1", "lines": [
                 {"sku": "SKU-KETTLE", "qty": 1, "item": ITEMS["SKU-KETTLE"]},
                 {"sku": "SKU-BLUE-MUG", "qty": 1, "item": ITEMS["SKU-BLUE-MUG"]}]}}
    with write_transaction(live_edge.db_path) as db:
        apply_command(db, "DC01", event)
    shots = Path(os.environ.get("HANDHELD_SCREENSHOTS_DIR", tmp_path / "shots"))
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", KIVY_HOME=str(tmp_path / "kivy"))
    env.pop("SDL_VIDEODRIVER", None) if env.get("SDL_VIDEODRIVER") == "dummy" else None
    code = create_enrolment_code(live_edge.db_path, "DC01", 5)["enrolment_code"]
    done = subprocess.run([sys.executable, str(DRIVER), live_edge.url, str(tmp_path / "device.db"), str(shots), code],
                          capture_output=True, text=True, timeout=90, env=env, cwd=DRIVER.parent)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    log = json.loads(done.stdout.strip().splitlines()[-1])["log"]
    assert log[0].startswith("Take 1 × SKU-KETTLE to B-01-01 and scan its label")
    assert log[1] == "1 × SKU-KETTLE restocked at B-01-01."
    assert log[2] == "1 × SKU-BLUE-MUG scrapped: Broken."
    with sqlite3.connect(live_edge.db_path) as conn:
        assert conn.execute("SELECT status FROM customer_returns").fetchall() == [("closed",)]
        reasons = conn.execute("SELECT json_extract(data, '$.reason'), json_extract(data, '$.location')"
                               " FROM sync_outbox WHERE type = 'stock.changed' ORDER BY seq DESC LIMIT 5").fetchall()
    assert sorted(reasons) == sorted([("return", "RECV"), ("putaway", "RECV"), ("putaway", "B-01-01"),
                                      ("return", "QUAR"), ("scrap", "QUAR")])
