"""The pick screen asks for exactly the scans the task's verification profile needs and checks its lot offline."""
from handheld.presenters.feedback import BAD, GOOD
from handheld.presenters.pick import CONFIRM_QTY, SCAN_ITEM, SCAN_LOCATION
from handheld.local_store import REFUSED

from fake_edge import FakeEdgeClient, a_task
from rig import Rig

LOT_SOON = "]C1010501234567890010L-SOON\x1d17270401"
LOT_TWIN = "(01)05012345678900(10)L-TWIN(17)270401"
LOT_LATE = "(01)05012345678900(10)L-LATE(17)271231"
EXPIRED = "(01)05012345678900(10)L-SOON(17)250101"


def lot_task(**more) -> dict:
    return {**a_task(qty=3), "tracking": "lot_expiry", "requires": ["location", "item", "lot", "expiry"],
            "lot": "L-SOON", "lot_expiry": "270401", "lot_substitutes": [], **more}


def started(tmp_path, task: dict, edge=None) -> Rig:
    rig = Rig(str(tmp_path / "device.db"), edge or FakeEdgeClient([task]))
    rig.pick.start()
    return rig


def at_item(tmp_path, task: dict, edge=None) -> Rig:
    rig = started(tmp_path, task, edge)
    rig.pick.on_scan("LOC-A-01-01")
    assert rig.pick.state.step == SCAN_ITEM
    return rig


def sent_picks(rig) -> list[dict]:
    return [body for path, body in rig.edge.applied.values() if path.endswith("/picks")]


def test_another_lot_or_an_expired_label_is_refused_on_the_device(tmp_path):
    rig = at_item(tmp_path, lot_task())
    rig.pick.on_scan(LOT_TWIN)
    assert rig.pick.state.feedback.tone == BAD and rig.pick.state.step == SCAN_ITEM
    assert rig.pick.state.feedback.message == ("Wrong lot: this is lot L-TWIN. Pick lot L-SOON (expires 2027-04-01) "
                                               "from A-01-01.")
    rig.pick.on_scan(EXPIRED)
    assert rig.pick.state.feedback.message == "Expired 2025-01-01: do not pick it. Put it aside and tell your site lead."
    rig.pick.on_scan(LOT_SOON)
    assert (rig.pick.state.step, rig.pick.state.feedback.tone) == (CONFIRM_QTY, GOOD)


def test_a_lot_the_site_allows_instead_is_accepted_and_sent_as_picked(tmp_path):
    rig = at_item(tmp_path, lot_task(lot_substitutes=[{"lot": "L-TWIN", "expiry": "270401"}]))
    rig.pick.on_scan(LOT_LATE)
    assert "Wrong lot" in rig.pick.state.feedback.message
    rig.pick.on_scan(LOT_TWIN)
    rig.pick.on_confirm()
    rig.sync.pump()
    [body] = sent_picks(rig)
    assert (body["lot"], body["expiry"], body["qty"]) == ("L-TWIN", "270401", 1)


def test_a_profile_asking_for_the_quantity_needs_it_typed_and_says_so(tmp_path):
    rig = at_item(tmp_path, dict(a_task(qty=3), requires=["location", "item", "quantity"]))
    rig.pick.on_scan("05012345678900")
    rig.pick.on_confirm()
    assert rig.pick.state.feedback.tone == BAD
    assert rig.pick.state.feedback.message == ("Type how many you took, then Confirm: this pick needs the quantity "
                                               "confirmed.")
    assert rig.store.pending_count() == 1  # the location scan only
    rig.pick.on_scan("2")
    rig.pick.on_confirm()
    rig.sync.pump()
    [body] = sent_picks(rig)
    assert (body["qty"], body["qty_confirmed"]) == (2, True)


def test_a_profile_asking_for_serials_of_an_untracked_item_wants_the_gs1_label(tmp_path):
    rig = at_item(tmp_path, dict(a_task(qty=1), requires=["location", "item", "serial"]))
    rig.pick.on_scan("05012345678900")
    assert "serial number" in rig.pick.state.feedback.message and rig.pick.state.step == SCAN_ITEM
    rig.pick.on_scan("(01)05012345678900(21)SN-7")
    rig.pick.on_confirm()
    rig.sync.pump()
    assert sent_picks(rig)[0]["serial"] == "SN-7"


def test_a_profile_without_location_or_item_goes_straight_to_the_quantity(tmp_path):
    task = dict(a_task(qty=4), requires=["quantity"], next_step="scan_item")
    rig = started(tmp_path, task)
    assert rig.pick.state.step == CONFIRM_QTY and rig.pick.state.qty_entered == 4
    assert rig.pick.state.prompt == ("Take 4 × SKU-BLUE-MUG (Blue mug 350 ml) from A-01-01: type how many you took, "
                                     "then Confirm.")
    rig.pick.on_scan("4")
    rig.pick.on_confirm()
    rig.sync.pump()
    assert [(b["barcode"], b["qty"], b["qty_confirmed"]) for b in sent_picks(rig)] == [("", 4, True)]
    assert not any(path.endswith("/location-scan") for path, _ in rig.edge.applied.values())


def test_an_older_edge_without_profiles_still_asks_for_location_and_item(tmp_path):
    rig = started(tmp_path, a_task())
    assert rig.pick.state.step == SCAN_LOCATION


def test_offline_the_lot_checks_still_hold_and_the_queued_pick_replays_with_its_lot(tmp_path):
    edge = FakeEdgeClient([lot_task()])
    rig = started(tmp_path, lot_task(), edge)
    edge.reachable = False
    rig.pick.on_scan("LOC-A-01-01")
    rig.pick.on_scan(LOT_TWIN)
    assert "Wrong lot" in rig.pick.state.feedback.message
    rig.pick.on_scan(LOT_SOON)
    rig.pick.on_scan("3")
    rig.pick.on_confirm()
    assert rig.store.pending_count() == 2 and edge.applied == {}
    edge.reachable = True
    rig.pick.next_task()
    [body] = sent_picks(rig)
    assert (body["lot"], body["expiry"], body["qty"], body["qty_confirmed"]) == ("L-SOON", "270401", 3, True)
    assert edge.picked == {"T-1": 3}


def test_a_pick_the_edge_refuses_on_replay_for_an_expired_lot_is_shown_with_what_to_do(tmp_path):
    edge = FakeEdgeClient([lot_task()])
    rig = started(tmp_path, lot_task(), edge)
    edge.reachable = False
    rig.pick.on_scan("LOC-A-01-01")
    rig.pick.on_scan(LOT_SOON)
    rig.pick.on_confirm()
    edge.reachable = True
    edge.refuse["/picks"] = (409, "lot_expired", "Expired: lot L-SOON of SKU-BLUE-MUG at A-01-01 expired 2027-04-01.")
    assert rig.sync.pump().refused == 1
    assert [op.status for op in rig.store.ops()][-1] == REFUSED
    rig.pick.on_sync_changed()
    assert rig.pick.state.feedback.tone == BAD
    assert "The lot had expired: put the items aside and tell the site lead." in rig.pick.state.feedback.message
