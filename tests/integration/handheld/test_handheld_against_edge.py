"""The handheld's store, sync loop and presenters against a real edge over HTTP, including an outage."""
import json
import sqlite3

from handheld.edge_client import EdgeClient
from handheld.local_store import LocalStore
from handheld.presenters.pick import OFFLINE, SCAN_ITEM, SCAN_LOCATION, PickPresenter
from handheld.presenters.ports import run_inline
from handheld.presenters.signin import SignInPresenter
from handheld.sync_loop import SyncLoop, utc_now

GS1_MUG = "]C1010501234567890010LOT42\x1d17301231"


class Handheld:
    """One device: (re)open the presenters over the device DB, as the app does at start-up."""

    def __init__(self, db_path: str, edge_url: str):
        self.client = EdgeClient(edge_url, "HH-01", timeout=2.0)
        self.store = LocalStore(db_path)
        self.sync = SyncLoop(self.store, self.client)
        self.signed_in = []
        self.signin = SignInPresenter(self.store, self.client, run_inline, lambda s: None, utc_now,
                                      self.signed_in.append)
        self.pick = PickPresenter(self.store, self.client, self.sync, run_inline, lambda s: None, utc_now)


def edge_rows(db_path: str, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_online_pick_reaches_the_edge(tmp_path, live_edge):
    live_edge.allocate("SO-1001", [("SKU-BLUE-MUG", 2)])
    hh = Handheld(str(tmp_path / "device.db"), live_edge.url)
    hh.signin.on_scan("BADGE-0001")
    hh.signin.on_pin("1234")
    assert hh.signed_in == [{"badge": "BADGE-0001", "name": "Sam Picker"}]
    hh.pick.start()
    assert (hh.pick.state.step, hh.pick.state.location) == (SCAN_LOCATION, "A-01-01")
    hh.pick.on_scan("LOC-A-01-01")
    hh.pick.on_scan(GS1_MUG)
    hh.pick.on_qty("2")
    hh.pick.on_confirm()
    assert hh.store.pending_count() == 0
    assert edge_rows(live_edge.db_path,
                     "SELECT qty FROM stock WHERE location = 'A-01-01' AND sku = 'SKU-BLUE-MUG'") == [(398,)]
    assert "No task" in hh.pick.state.prompt


def test_offline_picks_restart_and_drain_exactly_once(tmp_path, live_edge):
    live_edge.allocate("SO-2001", [("SKU-BLUE-MUG", 3)])
    device_db = str(tmp_path / "device.db")
    hh = Handheld(device_db, live_edge.url)
    hh.signin.on_scan("BADGE-0001")
    hh.signin.on_pin("1234")
    hh.pick.start()
    hh.pick.on_scan("LOC-A-01-01")
    hh.sync.pump()
    assert hh.store.pending_count() == 0

    live_edge.stop()  # the Wi-Fi drops in the middle of the task
    hh.pick.on_scan("SKU-BLUE-MUG")
    hh.pick.on_confirm()
    hh.pick.on_scan("05012345678900")
    hh.pick.on_confirm()
    assert hh.sync.pump().blocked == "unreachable"
    assert hh.store.pending_count() == 2

    hh = Handheld(device_db, live_edge.url)  # the app is closed and opened again, still offline
    assert hh.signin.resume() is True
    hh.pick.start()
    assert (hh.pick.state.step, hh.pick.state.picked) == (SCAN_ITEM, 2)
    hh.pick.on_scan(GS1_MUG)
    hh.pick.on_confirm()
    assert hh.pick.state.step == OFFLINE
    assert hh.store.pending_count() == 3

    live_edge.start()  # the edge is back, on the same database
    result = hh.sync.pump()
    assert (result.sent, result.refused, result.blocked) == (3, 0, None)
    assert hh.sync.pump().sent == 0  # nothing is sent twice
    db = live_edge.db_path
    assert edge_rows(db, "SELECT qty FROM stock WHERE location = 'A-01-01' AND sku = 'SKU-BLUE-MUG'") == [(397,)]
    assert edge_rows(db, "SELECT picked_qty, status FROM tasks") == [(3, "picked")]
    picked = [json.loads(d)["qty"] for (d,) in edge_rows(
        db, "SELECT data FROM sync_outbox WHERE stream = 'up' AND type = 'task.picked' ORDER BY seq")]
    assert picked == [1, 1, 1]
    device_ops = {op.op_id for op in hh.store.ops() if op.type == "pick"}
    edge_ops = {op for (op,) in edge_rows(db, "SELECT op_id FROM sync_outbox WHERE type = 'task.picked'")}
    assert device_ops == edge_ops


def test_refusal_on_replay_is_stored_and_shown(tmp_path, live_edge):
    live_edge.allocate("SO-3001", [("SKU-BLUE-MUG", 1)])
    hh = Handheld(str(tmp_path / "device.db"), live_edge.url)
    hh.signin.on_scan("BADGE-0001")
    hh.signin.on_pin("1234")
    hh.pick.start()
    hh.pick.on_scan("LOC-A-01-01")
    hh.sync.pump()
    live_edge.stop()
    hh.pick.on_scan("SKU-BLUE-MUG")
    hh.pick.on_confirm()
    with sqlite3.connect(live_edge.db_path) as conn:  # meanwhile the site lead takes the stock away
        conn.execute("UPDATE stock SET qty = 0 WHERE location = 'A-01-01' AND sku = 'SKU-BLUE-MUG'")
    live_edge.start()
    result = hh.sync.pump()
    assert (result.sent, result.refused) == (0, 1)
    refused = hh.store.refusals()
    assert [op.reason for op in refused] == ["not_enough_stock"]
    hh.pick.on_sync_changed()
    assert "tell the site lead" in hh.pick.state.feedback.message.lower()
