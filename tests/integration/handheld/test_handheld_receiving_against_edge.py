"""Receiving and putaway presenters against a real edge over HTTP: online, offline with a restart, and replay."""
import sqlite3
import uuid

from edge.adapters.central_inbox import apply_command
from handheld.edge_client import EdgeClient
from handheld.local_store import LocalStore
from handheld.presenters.feedback import BAD, GOOD
from handheld.presenters.ports import run_inline
from handheld.presenters.putaway import PutawayPresenter
from handheld.presenters.receiving import ReceivingPresenter
from handheld.presenters.signin import SignInPresenter
from handheld.receiving_cache import ReceivingCache
from handheld.sync_loop import SyncLoop, utc_now
from protocols.labels.check_digits import with_check_digit
from sync.sqlite_store import write_transaction

from handheld_support import ITEMS

PALLET = with_check_digit("03501234500000001")
GS1_MUGS = "]C1010501234567890010L2403\x1d17270131"


def send_asn(db_path: str, mug_tracking: str = "none") -> None:
    mug = dict(ITEMS["SKU-BLUE-MUG"], tracking=mug_tracking)
    event = {"seq": 1, "event_id": str(uuid.uuid4()), "type": "asn.created", "occurred_at": "2025-03-03T08:00:00+00:00",
             "recorded_at": "2025-03-03T08:00:01+00:00", "device_id": None, "op_id": None,
             "data": {"asn_id": "ASN-1001", "supplier": "Potteries Ltd",
                      "lines": [{"line_no": 1, "sku": "SKU-KETTLE", "qty": 12, "sscc": PALLET,
                                 "item": ITEMS["SKU-KETTLE"]},
                                {"line_no": 2, "sku": "SKU-BLUE-MUG", "qty": 10, "item": mug}]}}
    with write_transaction(db_path) as db:
        apply_command(db, "DC01", event)


class Handheld:
    """One device, (re)opened over its database as the app does at start-up, and signed in."""

    def __init__(self, db_path: str, edge_url: str, token: str | None = None):
        self.client = EdgeClient(edge_url, "HH-01", timeout=2.0)
        self.client.token = token
        self.store, self.cache = LocalStore(db_path), ReceivingCache(db_path)
        self.sync = SyncLoop(self.store, self.client)
        self.receiving = ReceivingPresenter(self.store, self.cache, self.client, self.sync, run_inline,
                                            lambda s: None, utc_now)
        self.putaway = PutawayPresenter(self.store, self.cache, self.client, self.sync, run_inline,
                                        lambda s: None, utc_now)

    def sign_in(self) -> "Handheld":
        signin = SignInPresenter(self.store, self.client, run_inline, lambda s: None, utc_now, lambda p: None)
        signin.on_scan("BADGE-0001")
        signin.on_pin("1234")
        return self


def edge_stock(db_path: str) -> dict:
    with sqlite3.connect(db_path) as conn:
        return {(loc, sku, lot): qty for loc, sku, lot, qty in conn.execute(
            "SELECT location, sku, lot, qty FROM stock WHERE qty != 0")}


def test_receive_by_pallet_and_items_then_put_away_online(tmp_path, live_edge):
    send_asn(live_edge.db_path)
    hh = Handheld(str(tmp_path / "device.db"), live_edge.url).sign_in()
    hh.receiving.start()
    assert hh.receiving.state.receipts == ("ASN-1001",)
    hh.receiving.on_scan("ASN-1001")
    hh.receiving.on_scan(PALLET)
    assert hh.receiving.state.feedback.tone == GOOD and "12 × SKU-KETTLE" in hh.receiving.state.feedback.message
    hh.receiving.on_scan("05012345678900")
    hh.receiving.on_scan("10")
    hh.receiving.on_receive()
    assert hh.receiving.state.progress == "SKU-KETTLE 12/12 · SKU-BLUE-MUG 10/10"
    hh.receiving.on_close()
    hh.sync.pump()
    assert hh.store.pending_count() == 0 and hh.store.refusals() == []
    assert edge_stock(live_edge.db_path)[("RECV", "SKU-BLUE-MUG", "")] == 10

    hh.putaway.start()
    assert hh.putaway.state.left == 2 and "to B-01-01" in hh.putaway.state.prompt  # kettles first (P000001)
    hh.putaway.on_scan("LOC-B-01-01")
    hh.putaway.on_scan("LOC-A-01-01")
    hh.sync.pump()
    stock = edge_stock(live_edge.db_path)
    assert [key for key in stock if key[0] == "RECV"] == []
    assert stock[("B-01-01", "SKU-KETTLE", "")] == 132 and stock[("A-01-01", "SKU-BLUE-MUG", "")] == 410


def test_offline_receipt_survives_a_restart_and_replays_once_and_a_refused_putaway_is_shown(tmp_path, live_edge):
    send_asn(live_edge.db_path, mug_tracking="lot_expiry")
    device_db = str(tmp_path / "device.db")
    hh = Handheld(device_db, live_edge.url).sign_in()
    hh.receiving.start()
    live_edge.stop()  # the Wi-Fi drops after the ASN was downloaded

    hh.receiving.on_scan("ASN-1001")
    hh.receiving.on_scan(PALLET)
    hh.receiving.on_scan("05012345678900")
    assert hh.receiving.state.feedback.tone == BAD and "lot and expiry date" in hh.receiving.state.feedback.message
    hh.receiving.on_scan(GS1_MUGS)
    hh.receiving.on_scan("12")
    hh.receiving.on_receive()
    assert hh.receiving.state.reasons and "Only 10 × SKU-BLUE-MUG" in hh.receiving.state.feedback.message
    hh.receiving.on_reason("Supplier sent extra")
    hh.receiving.on_scan(PALLET)
    assert "already received" in hh.receiving.state.feedback.message
    hh.receiving.on_close()
    assert hh.sync.pump().blocked == "unreachable" and hh.store.pending_count() == 3

    token = hh.client.token
    hh = Handheld(device_db, live_edge.url, token)  # the app restarts, still offline
    hh.receiving.start()
    assert hh.receiving.state.receipts == ()  # closed on this device already
    live_edge.start()
    assert hh.sync.pump().sent == 3
    assert hh.sync.pump().sent == 0  # nothing is sent twice
    assert edge_stock(live_edge.db_path)[("RECV", "SKU-BLUE-MUG", "L2403")] == 12
    with sqlite3.connect(live_edge.db_path) as conn:
        assert conn.execute("SELECT kind, expected, received FROM receiving_exceptions").fetchall() == [
            ("over", 10, 12)]

    hh.putaway.start()
    mugs = next(t for t, _ in hh.cache.all("putaway") if t["sku"] == "SKU-BLUE-MUG")
    while hh.putaway.state.task_id != mugs["task_id"]:
        hh.putaway.on_skip()
    live_edge.stop()
    hh.putaway.on_scan("LOC-A-01-01")  # holds mugs with no expiry: the edge will refuse the mix
    assert hh.putaway.state.reasons and "Suggested A-01-02" in hh.putaway.state.feedback.message
    hh.putaway.on_reason("Closer location")
    assert hh.putaway.state.task_id != mugs["task_id"]
    live_edge.start()
    hh.sync.pump()
    hh.putaway.start()
    assert any("different expiry dates never share a location" in r for r in hh.putaway.state.refusals)
    assert hh.putaway.state.left == 2  # the kettles, and the mugs offered again
    assert edge_stock(live_edge.db_path)[("RECV", "SKU-BLUE-MUG", "L2403")] == 12
