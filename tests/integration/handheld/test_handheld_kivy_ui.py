"""The real Kivy app, rendered offscreen, completes a pick against a real edge from wedge-scanner input."""
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from edge.bootstrap import create_enrolment_code

DRIVER = Path(__file__).with_name("kivy_pick_driver.py")


def test_wedge_scanner_completes_a_pick(tmp_path, live_edge):
    live_edge.allocate("SO-4001", [("SKU-BLUE-MUG", 2)])
    shots = Path(os.environ.get("HANDHELD_SCREENSHOTS_DIR", tmp_path / "shots"))
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", KIVY_HOME=str(tmp_path / "kivy"))
    env.pop("SDL_VIDEODRIVER", None) if env.get("SDL_VIDEODRIVER") == "dummy" else None
    code = create_enrolment_code(live_edge.db_path, "DC01", 5)["enrolment_code"]
    done = subprocess.run([sys.executable, str(DRIVER), live_edge.url, str(tmp_path / "device.db"), str(shots), code],
                          capture_output=True, text=True, timeout=90, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "Wrong location: go to A-01-01" in report["log"][0]
    assert "Task done: 2 × SKU-BLUE-MUG" in report["log"][1]
    assert "ONLINE · 0 waiting" in report["log"][2] and "Sam Picker" in report["log"][2]
    conn = sqlite3.connect(live_edge.db_path)
    try:
        assert conn.execute("SELECT qty FROM stock WHERE location = 'A-01-01' AND sku = 'SKU-BLUE-MUG'"
                            ).fetchall() == [(398,)]
    finally:
        conn.close()
    assert conn_devices(live_edge.db_path) == [("HH-UI-01", None)]  # enrolled through the enrolment screen
    assert sorted(p.name for p in shots.glob("*.png")) == [
        "0-enrol.png", "1-sign-in.png", "2-go-to-location.png", "3-wrong-location.png", "4-scan-item.png",
        "5-confirm-quantity.png", "6-task-done.png"]


def conn_devices(db_path: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT device_id, revoked_at FROM devices").fetchall()
    finally:
        conn.close()
