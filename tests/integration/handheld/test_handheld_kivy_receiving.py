"""The real Kivy app, rendered offscreen, receives a pallet and puts it away elsewhere with a tapped reason."""
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from edge.adapters.central_inbox import apply_command
from edge.bootstrap import create_enrolment_code
from protocols.labels.check_digits import with_check_digit
from sync.sqlite_store import write_transaction

from handheld_support import ITEMS

DRIVER = Path(__file__).with_name("kivy_receiving_driver.py")
PALLET = with_check_digit("03501234500000009")


def test_wedge_scanner_receives_a_pallet_and_puts_it_away(tmp_path, live_edge):
    event = {"seq": 1, "event_id": str(uuid.uuid4()), "type": "asn.created", "occurred_at": "", "recorded_at": "",
             "device_id": None, "op_id": None,
             "data": {"asn_id": "ASN-UI-1", "supplier": "Potteries Ltd", "lines": [
                 {"line_no": 1, "sku": "SKU-KETTLE", "qty": 6, "sscc": PALLET, "item": ITEMS["SKU-KETTLE"]}]}}
    with write_transaction(live_edge.db_path) as db:
        apply_command(db, "DC01", event)
    shots = Path(os.environ.get("HANDHELD_SCREENSHOTS_DIR", tmp_path / "shots"))
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", KIVY_HOME=str(tmp_path / "kivy"))
    env.pop("SDL_VIDEODRIVER", None) if env.get("SDL_VIDEODRIVER") == "dummy" else None
    code = create_enrolment_code(live_edge.db_path, "DC01", 5)["enrolment_code"]
    done = subprocess.run([sys.executable, str(DRIVER), live_edge.url, str(tmp_path / "device.db"), str(shots), code,
                           PALLET], capture_output=True, text=True, timeout=90, env=env, cwd=DRIVER.parent)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    log = json.loads(done.stdout.strip().splitlines()[-1])["log"]
    assert log[0] == f"Pallet {PALLET} received: 6 × SKU-KETTLE."
    assert "Take 6 × SKU-KETTLE from RECV to B-01-01" in log[1]
    assert log[2].startswith("6 × SKU-KETTLE put away at LOC-A-01-01")
    with sqlite3.connect(live_edge.db_path) as conn:
        assert conn.execute("SELECT location, override_reason FROM putaway_tasks").fetchall() == [
            ("A-01-01", "Suggested location full")]
