"""The batch pick presenter against a real edge over HTTP: claim online, walk and close offline across an app
restart, then replay; the edge books every pick once and hands the totes to packing (issue 9)."""
import sqlite3

from edge.bootstrap import build_bus
from edge.service.batch_commands import ReleaseWave
from handheld.batch_cache import BatchCache
from handheld.edge_client import EdgeClient
from handheld.local_store import LocalStore
from handheld.presenters.batch import CLOSE, CLOSED, OFFLINE, SCAN_ITEM, SCAN_LOCATION, BatchPresenter
from handheld.presenters.feedback import BAD, GOOD
from handheld.presenters.pack import PackPresenter
from handheld.presenters.ports import run_inline
from handheld.presenters.signin import SignInPresenter
from handheld.sync_loop import SyncLoop, utc_now

from handheld_support import ITEMS


class Handheld:
    """One device, (re)opened over its database as the app does at start-up."""

    def __init__(self, db_path: str, edge_url: str, token: str | None = None):
        self.client = EdgeClient(edge_url, "HH-01", timeout=2.0)
        self.client.token = token
        self.store, self.views = LocalStore(db_path), []
        self.sync = SyncLoop(self.store, self.client)
        self.batch = BatchPresenter(self.store, BatchCache(db_path), self.client, self.sync, run_inline,
                                    self.views.append, utc_now)

    def sign_in(self) -> "Handheld":
        signin = SignInPresenter(self.store, self.client, run_inline, lambda s: None, utc_now, lambda p: None)
        signin.on_scan("BADGE-0001")
        signin.on_pin("1234")
        return self


def edge_rows(db_path: str, sql: str) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def walk(batch: BatchPresenter, totes: dict[str, str], short_sku: str = "") -> None:
    """Work every stop as a picker would: location, items one scan each, tote; short the short_sku pick."""
    while batch.state.step in (SCAN_LOCATION, SCAN_ITEM):
        here = batch.current_stop()
        batch.on_scan(here["location_barcode"])
        assert batch.state.step == SCAN_ITEM, batch.state
        if here["sku"] == short_sku:
            batch.on_short("not_found")
            continue
        for _ in range(here["qty"] - here["picked_qty"]):
            batch.on_scan(here["item_barcodes"][-1])
        batch.on_scan(totes[here["order_id"]])
        assert batch.state.feedback.tone == GOOD, batch.state.feedback


def test_a_batch_is_walked_and_closed_offline_then_replayed_once(tmp_path, live_edge):
    live_edge.allocate("SO-1", [("SKU-BLUE-MUG", 2), ("SKU-KETTLE", 1)])
    live_edge.allocate("SO-2", [("SKU-BLUE-MUG", 1)])
    build_bus(live_edge.db_path).handle(ReleaseWave(cart_slots=4, order_ids=("SO-1", "SO-2"), actor="maria"))
    device = str(tmp_path / "device.db")
    hh = Handheld(device, live_edge.url).sign_in()
    hh.batch.start()
    assert hh.batch.state.step == SCAN_LOCATION
    assert "Put an empty tote in slot(s) 1, 2" in hh.batch.state.feedback.message
    assert hh.batch.state.location == "A-01-01" and hh.batch.state.progress == "0 / 3 picks"

    live_edge.stop()  # Wi-Fi drops: the rest of the walk happens offline
    before = edge_rows(live_edge.db_path, "SELECT location, sku, qty FROM stock ORDER BY 1, 2")
    totes = {"SO-1": "TOTE-0001", "SO-2": "TOTE-0002"}
    hh.batch.on_scan("LOC-A-01-01")
    hh.batch.on_scan("TOTE-0001")  # a tote before any item is refused
    assert hh.batch.state.feedback.tone == BAD and "Wrong item" in hh.batch.state.feedback.message
    hh.batch.on_scan("05012345678900")
    hh.batch.on_scan("TOTE-0001")  # 1 of SO-1's 2 mugs into its tote in slot 1
    assert hh.batch.totes() == {1: "TOTE-0001"}
    hh = Handheld(device, live_edge.url, hh.client.token)  # the app restarts mid-walk
    hh.batch.start()
    assert (hh.batch.state.step, hh.batch.state.picked, hh.batch.state.progress) == (SCAN_ITEM, 1, "0 / 3 picks")
    hh.batch.on_scan("05012345678900")
    hh.batch.on_scan("TOTE-0002")  # slot 1 already holds TOTE-0001
    assert hh.batch.state.feedback.tone == BAD and "goes in tote TOTE-0001" in hh.batch.state.feedback.message
    hh.batch.on_scan("TOTE-0001")
    assert hh.batch.state.step == SCAN_LOCATION and hh.batch.state.progress == "1 / 3 picks"
    hh.batch.on_scan("LOC-A-01-01")
    hh.batch.on_scan("05012345678900")
    hh.batch.on_scan("TOTE-0001")  # SO-2's mug: TOTE-0001 is slot 1's
    assert hh.batch.state.feedback.tone == BAD and "is in slot 1" in hh.batch.state.feedback.message
    hh.batch.on_scan("TOTE-0002")
    walk(hh.batch, totes, short_sku="SKU-KETTLE")
    assert hh.batch.state.step == CLOSE
    hh.batch.on_close()
    assert hh.batch.state.step == CLOSED and "Take the totes to packing" in hh.batch.state.feedback.message
    assert edge_rows(live_edge.db_path, "SELECT location, sku, qty FROM stock ORDER BY 1, 2") == before
    hh.batch.next_batch()
    assert hh.batch.state.step == OFFLINE and "waiting to be sent" in hh.batch.state.prompt

    live_edge.start()  # back in range: the queue replays in order, each op once
    result = hh.sync.pump()
    assert (result.refused, result.blocked) == (0, None) and hh.store.pending_count() == 0
    assert hh.sync.pump().sent == 0
    assert edge_rows(live_edge.db_path, "SELECT status FROM batches") == [("closed",)]
    assert sorted(edge_rows(live_edge.db_path, "SELECT order_id, tote FROM batch_slots")) == sorted(totes.items())
    stock = dict(((loc, sku), qty) for loc, sku, qty in edge_rows(live_edge.db_path,
                                                                  "SELECT location, sku, qty FROM stock"))
    assert stock[("PACK", "SKU-BLUE-MUG")] == 3 and stock.get(("PACK", "SKU-KETTLE"), 0) == 0
    assert edge_rows(live_edge.db_path, "SELECT status FROM orders ORDER BY order_id") == [("short",), ("picked",)]
    picked = edge_rows(live_edge.db_path, "SELECT count(*) FROM sync_outbox WHERE type = 'task.picked'")
    assert picked == [(3,)]  # SO-1's mugs in two puts, SO-2's in one
    assert ITEMS["SKU-KETTLE"]["sku"] in [r[0] for r in edge_rows(
        live_edge.db_path, "SELECT json_extract(data, '$.sku') FROM sync_outbox WHERE type = 'task.shorted'")]
    packing = PackPresenter(hh.store, hh.client, hh.sync, run_inline, lambda s: None, utc_now)
    packing.start()
    packing.on_scan("TOTE-0002")  # the packer scans a tote off the cart: its order comes up
    assert packing.state.order_id == "SO-2"
