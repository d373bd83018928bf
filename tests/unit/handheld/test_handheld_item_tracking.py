"""A tracked item needs a GS1 scan with its lot / expiry / serial, and the pick carries them to the edge."""
import pytest

from handheld.presenters.feedback import BAD, GOOD
from handheld.presenters.pick import CONFIRM_QTY, SCAN_ITEM

from fake_edge import FakeEdgeClient, a_task
from rig import Rig

LOT_LABEL = "]C1010501234567890010L2403\x1d17270131"
OTHER_LOT = "(01)05012345678900(10)L2404(17)270131"


def rig_for(tmp_path, tracking: str) -> Rig:
    rig = Rig(str(tmp_path / "device.db"), FakeEdgeClient([dict(a_task(qty=3), tracking=tracking)]))
    rig.pick.start()
    rig.pick.on_scan("LOC-A-01-01")
    assert rig.pick.state.step == SCAN_ITEM
    return rig


def test_a_plain_gtin_scan_of_a_lot_tracked_item_asks_for_the_gs1_label(tmp_path):
    rig = rig_for(tmp_path, "lot_expiry")
    rig.pick.on_scan("05012345678900")
    assert rig.pick.state.feedback.tone == BAD and rig.pick.state.step == SCAN_ITEM
    assert "Scan the GS1 label with the lot and expiry date" in rig.pick.state.feedback.message


def test_the_lot_and_expiry_travel_with_the_pick(tmp_path):
    rig = rig_for(tmp_path, "lot_expiry")
    rig.pick.on_scan(LOT_LABEL)
    assert (rig.pick.state.step, rig.pick.state.feedback.tone) == (CONFIRM_QTY, GOOD)
    rig.pick.on_scan(OTHER_LOT)
    assert "another lot" in rig.pick.state.feedback.message and rig.pick.state.qty_entered == 1
    rig.pick.on_scan(LOT_LABEL)
    rig.pick.on_confirm()
    rig.sync.pump()
    [(path, body)] = [v for v in rig.edge.applied.values() if v[0].endswith("/picks")]
    assert (body["qty"], body["lot"], body["expiry"], body["barcode"]) == (2, "L2403", "270131", "05012345678900")


def test_serial_numbered_items_are_one_scan_one_pick(tmp_path):
    rig = rig_for(tmp_path, "serial")
    rig.pick.on_scan("(01)05012345678900(21)SN-0001")
    rig.pick.on_scan("(01)05012345678900(21)SN-0002")
    assert "its own pick" in rig.pick.state.feedback.message and rig.pick.state.qty_entered == 1
    rig.pick.on_confirm()
    rig.sync.pump()
    [(_, body)] = [v for v in rig.edge.applied.values() if v[0].endswith("/picks")]
    assert body["serial"] == "SN-0001" and "lot" not in body


@pytest.mark.parametrize("tracking", ["none", None])
def test_untracked_items_take_plain_scans_and_send_no_tracking(tmp_path, tracking):
    rig = rig_for(tmp_path, tracking) if tracking else Rig(str(tmp_path / "d.db"), FakeEdgeClient([a_task()]))
    if tracking is None:
        rig.pick.start()
        rig.pick.on_scan("LOC-A-01-01")
    rig.pick.on_scan("05012345678900")
    rig.pick.on_confirm()
    rig.sync.pump()
    [(_, body)] = [v for v in rig.edge.applied.values() if v[0].endswith("/picks")]
    assert not {"lot", "serial", "expiry"} & set(body)
