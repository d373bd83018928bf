"""The pick presenter against a real edge: a FEFO lot under a zone profile, checked offline, replayed, booked by lot."""
import sqlite3

from edge.bootstrap import build_bus
from edge.service.verification_commands import SetVerificationProfile
from handheld.presenters.feedback import BAD
from sync.sqlite_store import write_transaction

from test_handheld_against_edge import Handheld

LOT_SOON = "]C1010501234567890010L-SOON\x1d17300401"
LOT_OTHER = "]C1010501234567890010L-OTHER\x1d17300401"


def lot_stock(db_path: str) -> dict:
    with sqlite3.connect(db_path) as conn:
        return {(loc, lot): qty for loc, lot, qty in conn.execute(
            "SELECT location, lot, qty FROM stock WHERE sku = 'SKU-BLUE-MUG' AND lot != ''")}


def test_a_lot_pick_under_a_quantity_profile_done_offline_replays_and_books_its_lot(tmp_path, live_edge):
    with write_transaction(live_edge.db_path) as db:  # mugs of a dated lot, put away in zone A
        db.execute("INSERT INTO stock (location, sku, lot, qty) VALUES ('A-02-01', 'SKU-BLUE-MUG', 'L-SOON', 5)")
        db.execute("INSERT INTO lots (sku, lot, expiry) VALUES ('SKU-BLUE-MUG', 'L-SOON', '300401')")
    build_bus(live_edge.db_path).handle(SetVerificationProfile("zone", "A", ("location", "item", "quantity"), "maria"))
    live_edge.allocate("SO-1001", [("SKU-BLUE-MUG", 3)])  # the dated lot goes before the undated stock
    hh = Handheld(str(tmp_path / "device.db"), live_edge.url)
    hh.signin.on_scan("BADGE-0001")
    hh.signin.on_pin("1234")
    hh.pick.start()
    assert (hh.pick.state.location, hh.store.current_task().data["lot"]) == ("A-02-01", "L-SOON")

    live_edge.stop()  # the Wi-Fi drops: every check below runs on the device
    hh.pick.on_scan("LOC-A-02-01")
    hh.pick.on_scan(LOT_OTHER)
    assert hh.pick.state.feedback.tone == BAD and "Pick lot L-SOON" in hh.pick.state.feedback.message
    hh.pick.on_scan(LOT_SOON)
    hh.pick.on_confirm()
    assert "type how many you took" in hh.pick.state.feedback.message.lower()
    hh.pick.on_qty("3")
    hh.pick.on_confirm()
    assert hh.store.pending_count() == 2

    live_edge.start()
    hh.pick.next_task()
    assert hh.store.pending_count() == 0 and hh.store.refusals() == []
    assert lot_stock(live_edge.db_path) == {("A-02-01", "L-SOON"): 2}
