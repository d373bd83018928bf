"""Pick flow in the presenter: local validation, queued ops, offline work, restarts and refusals."""
import pytest

from handheld.local_store import PENDING, REFUSED, SENT
from handheld.presenters.feedback import BAD, GOOD
from handheld.presenters.pick import CONFIRM_QTY, NO_TASK, OFFLINE, SCAN_ITEM, SCAN_LOCATION

from fake_edge import BLUE_MUG_GTIN, FakeEdgeClient, a_task
from rig import Rig

GS1_MUG = f"]C101{BLUE_MUG_GTIN}10LOT42\x1d17261231"


@pytest.fixture
def edge():
    return FakeEdgeClient([a_task("T-1", qty=3), a_task("T-2", sku="SKU-KETTLE", location="B-01-01", qty=1,
                                                        gtin="05012345678931")])


@pytest.fixture
def rig(tmp_path, edge):
    rig = Rig(str(tmp_path / "device.db"), edge)
    rig.pick.start()
    return rig


def test_start_shows_the_location_to_go_to(rig):
    assert (rig.pick.state.step, rig.pick.state.location) == (SCAN_LOCATION, "A-01-01")
    assert "Go to A-01-01" in rig.pick.state.prompt


@pytest.mark.parametrize("raw, words", [
    ("LOC-B-01-01", "Wrong location: go to A-01-01"),
    ("SKU-BLUE-MUG", "Scan the location label LOC-A-01-01 first"),
    ("BADGE-0002", "That is a badge. Scan the location A-01-01"),
    ("05012345678901", "check digit"),
])
def test_a_bad_location_scan_says_what_was_expected_and_queues_nothing(rig, raw, words):
    rig.pick.on_scan(raw)
    assert rig.pick.state.feedback.tone == BAD
    assert words in rig.pick.state.feedback.message
    assert rig.pick.state.step == SCAN_LOCATION
    assert rig.store.ops() == []


def test_full_pick_scanning_each_item(rig, edge):
    rig.pick.on_scan("LOC-A-01-01\r\n")
    assert (rig.pick.state.step, rig.pick.state.feedback.tone) == (SCAN_ITEM, GOOD)
    rig.pick.on_scan("LOC-A-01-01")
    assert "That is a location label" in rig.pick.state.feedback.message
    rig.pick.on_scan("SKU-KETTLE")
    assert "Wrong item: pick SKU-BLUE-MUG" in rig.pick.state.feedback.message
    for _ in range(3):
        rig.pick.on_scan(GS1_MUG)
    assert (rig.pick.state.step, rig.pick.state.qty_entered) == (CONFIRM_QTY, 3)
    rig.pick.on_scan("SKU-BLUE-MUG")
    assert "Only 3 × SKU-BLUE-MUG" in rig.pick.state.feedback.message
    rig.pick.on_confirm()
    assert [op.status for op in rig.store.ops()] == [SENT, SENT]
    assert edge.paths() == ["location-scan", "picks"]
    assert [b["qty"] for _, b in edge.applied.values() if "qty" in b] == [3]
    assert [b["barcode"] for _, b in edge.applied.values()] == ["LOC-A-01-01", BLUE_MUG_GTIN]
    assert (rig.pick.state.step, rig.pick.state.task_id) == (SCAN_LOCATION, "T-2")
    assert "Task done: 3 × SKU-BLUE-MUG" in rig.pick.state.feedback.message


def test_typed_quantity_is_bounded_by_what_is_left(rig, edge):
    rig.pick.on_scan("LOC-A-01-01")
    rig.pick.on_scan("SKU-BLUE-MUG")
    rig.pick.on_qty("5")
    assert "from 1 to 3" in rig.pick.state.feedback.message
    rig.pick.on_scan("2\r\n")
    assert rig.pick.state.qty_entered == 2
    rig.pick.on_confirm()
    assert (rig.pick.state.step, rig.pick.state.picked) == (SCAN_ITEM, 2)
    assert "1 left" in rig.pick.state.feedback.message
    assert rig.store.task("T-1").picked_qty == 2


def test_short_pick_needs_the_location_then_queues_what_was_found(rig, edge):
    rig.pick.on_short()
    assert "Scan the location first" in rig.pick.state.feedback.message
    rig.pick.on_scan("LOC-A-01-01")
    rig.pick.on_short()
    rig.pick.on_short_confirm("3", "not_found")
    assert "from 0 to 2" in rig.pick.state.feedback.message
    rig.pick.on_scan("1\r")
    assert "Found 1" in rig.pick.state.feedback.message
    rig.pick.on_short_confirm("", "not_found")
    short = [b for p, b in edge.applied.values() if p.endswith("/short")]
    assert [(b["qty_found"], b["reason"]) for b in short] == [(1, "not_found")]
    assert rig.pick.state.task_id == "T-2"


def test_offline_picks_survive_a_restart_and_drain_in_order(tmp_path, rig, edge):
    edge.reachable = False
    rig.pick.on_scan("LOC-A-01-01")
    for _ in range(2):
        rig.pick.on_scan("SKU-BLUE-MUG")
        rig.pick.on_confirm()
    assert rig.store.pending_count() == 3 and edge.applied == {}
    rig.status.refresh()
    assert "2 waiting" not in rig.status.state.text and "3 waiting" in rig.status.state.text

    again = Rig(str(tmp_path / "device.db"), edge)  # the picker closed and reopened the app, still offline
    again.pick.start()
    assert (again.pick.state.task_id, again.pick.state.step, again.pick.state.picked) == ("T-1", SCAN_ITEM, 2)
    again.pick.on_scan(GS1_MUG)
    again.pick.on_confirm()
    # every leased task was downloaded, so the picker goes on with the next one with no connection
    assert (again.pick.state.task_id, again.pick.state.step) == ("T-2", SCAN_LOCATION)
    assert again.store.pending_count() == 4

    edge.reachable = True
    again.pick.next_task()
    assert edge.paths() == ["location-scan", "picks", "picks", "picks"]
    assert edge.picked == {"T-1": 3}
    assert again.store.pending_count() == 0 and again.pick.state.task_id == "T-2"


def test_a_refusal_on_replay_is_kept_and_shown_with_what_to_do(rig, edge):
    edge.reachable = False
    rig.pick.on_scan("LOC-A-01-01")
    rig.pick.on_scan("SKU-BLUE-MUG")
    rig.pick.on_confirm()
    edge.reachable = True
    edge.refuse["/tasks/T-1/"] = (409, "task_closed", "Task T-1 was cancelled by the office.")
    result = rig.sync.pump()
    assert (result.sent, result.refused) == (0, 2)
    assert [op.status for op in rig.store.ops()] == [REFUSED, REFUSED]
    rig.pick.on_sync_changed()
    assert rig.pick.state.feedback.tone == BAD
    assert "cancelled by the office" in rig.pick.state.feedback.message
    assert "Put the items back at A-01-01" in rig.pick.state.feedback.message
    rig.status.refresh()
    assert "2 refused" in rig.status.state.text
    rig.pick.on_acknowledge()
    assert rig.store.refusals() == [] and len(rig.store.ops()) == 2


def test_no_task_and_offline_without_a_cached_task(tmp_path):
    edge = FakeEdgeClient([])
    rig = Rig(str(tmp_path / "device.db"), edge)
    rig.pick.start()
    assert rig.pick.state.step == NO_TASK
    edge.reachable = False
    rig.pick.next_task()
    assert rig.pick.state.step == OFFLINE and "No connection" in rig.pick.state.prompt


def test_signed_out_during_fetch_hands_over_to_sign_in(tmp_path):
    class SignedOutEdge(FakeEdgeClient):
        def my_tasks(self, limit):
            from handheld.edge_client import EdgeRefused
            raise EdgeRefused(401, "not_signed_in", "You are not signed in.")

    rig = Rig(str(tmp_path / "device.db"), SignedOutEdge([]))
    rig.pick.start()
    assert rig.signed_out == 1


def test_pending_ops_stay_queued_until_the_edge_answers(rig, edge):
    edge.reachable = False
    rig.pick.on_scan("LOC-A-01-01")
    assert [op.status for op in rig.store.ops()] == [PENDING]
    assert rig.sync.pump().blocked == "unreachable" and rig.sync.online is False
