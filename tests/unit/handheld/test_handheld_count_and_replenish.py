"""Count and replenishment presenters: blind count and moves worked offline, queued with op_ids, replayed in order;
refusals on replay are shown, never dropped (issue 9)."""
import pytest

from fake_edge import BLUE_MUG_GTIN, FakeEdgeClient
from handheld.local_store import LocalStore
from handheld.presenters.count import COUNT_ITEMS, DONE, SCAN_LOCATION, CountPresenter
from handheld.presenters.floor_job import NO_JOB, OFFLINE
from handheld.presenters.ports import run_inline
from handheld.presenters.replenish import MOVE_QTY, SCAN_ITEM, ReplenishPresenter
from handheld.sync_loop import SyncLoop

NOW = "2025-03-03T09:00:00+00:00"
GS1_LOT = f"(01){BLUE_MUG_GTIN}(17)261231(10)L42"


class FakeFloorEdge(FakeEdgeClient):
    """The fake edge with one count task and one replenishment to hand out."""

    def __init__(self):
        super().__init__()
        self.counts = [{"count_id": "DC01-CC000001", "location": "A-01-01", "location_barcode": "LOC-A-01-01",
                        "origin": "short_pick", "status": "assigned", "lease_epoch": 1}]
        self.replens = [{"replen_id": "DC01-R000001", "sku": "SKU-BLUE-MUG", "description": "Blue mug",
                         "item_barcodes": ["SKU-BLUE-MUG", BLUE_MUG_GTIN], "lot": "L42", "qty": 30,
                         "from_location": "C-01-01", "from_barcode": "LOC-C-01-01", "to_location": "A-01-01",
                         "to_barcode": "LOC-A-01-01", "status": "assigned", "moved_qty": 0, "lease_epoch": 2,
                         "trigger": "below_min"}]

    def next_count(self):
        self._check()
        return self.counts.pop(0) if self.counts else None

    def next_replenishment(self):
        self._check()
        return self.replens.pop(0) if self.replens else None


@pytest.fixture
def edge():
    return FakeFloorEdge()


@pytest.fixture
def store(tmp_path):
    return LocalStore(str(tmp_path / "handheld.db"))


@pytest.fixture
def sync(store, edge):
    return SyncLoop(store, edge, now=lambda: NOW)


def presenter(cls, store, edge, sync, views):
    return cls(store, edge, sync, run_inline, views.append, lambda: NOW)


def test_a_blind_count_finished_offline_is_replayed_once_back_online(store, edge, sync):
    views = []
    count = presenter(CountPresenter, store, edge, sync, views)
    count.start()
    assert (count.state.step, count.state.title) == (SCAN_LOCATION, "A-01-01")
    edge.reachable = False
    count.on_scan("LOC-A-01-01")
    for raw in (BLUE_MUG_GTIN, BLUE_MUG_GTIN, "12", GS1_LOT, GS1_LOT):
        count.on_scan(raw)
    assert count.state.step == COUNT_ITEMS and count.state.detail == f"{BLUE_MUG_GTIN}: 12\n{BLUE_MUG_GTIN} lot L42: 2"
    count.on_confirm()
    assert count.state.step == DONE and store.pending_count() == 1 and edge.applied == {}
    assert not any("expected" in repr(view) for view in views)  # blind: nothing about what the site expects
    edge.reachable = True
    assert sync.pump().sent == 1 and sync.pump().sent == 0
    ((path, body),) = edge.applied.values()
    assert path == "/api/v1/counts/DC01-CC000001/submit"
    assert body["lines"] == [{"barcode": BLUE_MUG_GTIN, "qty": 12}, {"barcode": GS1_LOT, "qty": 2}]
    assert (body["location_barcode"], body["empty"], body["lease_epoch"]) == ("LOC-A-01-01", False, 1)


def test_wrong_scans_are_refused_on_the_device_and_an_empty_location_is_confirmed(store, edge, sync):
    count = presenter(CountPresenter, store, edge, sync, [])
    count.start()
    count.on_scan("LOC-B-01-01")
    assert count.state.feedback.tone == "bad" and count.state.step == SCAN_LOCATION
    count.on_confirm()
    assert store.pending_count() == 0
    count.on_scan("LOC-A-01-01")
    count.on_scan("7")  # a number before any item says what to do
    assert "Scan the item first" in count.state.feedback.message
    count.on_empty()
    assert count.state.step == DONE and sync.pump().sent == 1
    ((_, body),) = edge.applied.values()
    assert (body["empty"], body["lines"]) == (True, [])


def test_a_count_refused_on_replay_is_shown_and_kept(store, edge, sync):
    count = presenter(CountPresenter, store, edge, sync, [])
    count.start()
    edge.reachable = False
    count.on_scan("LOC-A-01-01")
    count.on_scan(BLUE_MUG_GTIN)
    count.on_confirm()
    edge.reachable = True
    edge.refuse["/counts/"] = (409, "lease_lost", "Count DC01-CC000001 was handed to another picker.")
    assert sync.pump().refused == 1
    count.on_sync_changed()
    assert "handed to another picker" in count.state.refusals[0] and count.state.feedback.tone == "bad"
    assert [op.reason for op in store.refusals()] == ["lease_lost"]
    count.on_acknowledge()
    assert count.state.refusals == () and [op.status for op in store.ops()] == ["refused"]


def test_offline_with_no_job_says_so_and_no_job_at_all_too(store, edge, sync):
    count = presenter(CountPresenter, store, edge, sync, [])
    edge.reachable = False
    count.start()
    assert count.state.step == OFFLINE and "No connection" in count.state.prompt
    edge.reachable, edge.counts = True, []
    count.next_job()
    assert count.state.step == NO_JOB


def test_a_replenishment_moved_offline_is_replayed_with_its_op_id(store, edge, sync):
    move = presenter(ReplenishPresenter, store, edge, sync, [])
    move.start()
    assert move.state.title == "C-01-01 → A-01-01" and move.state.detail == "30 x SKU-BLUE-MUG lot L42"
    edge.reachable = False
    move.on_scan("LOC-A-01-01")  # the face first: wrong, go to the reserve
    assert move.state.feedback.tone == "bad"
    move.on_scan("LOC-C-01-01")
    assert move.state.step == SCAN_ITEM
    move.on_scan(f"(01){BLUE_MUG_GTIN}(10)L41")
    assert "Wrong lot" in move.state.feedback.message
    move.on_scan(GS1_LOT)
    move.on_scan("31")
    assert move.state.feedback.message == "Move 1 to 30."
    move.on_scan("25")
    assert move.state.step == MOVE_QTY
    move.on_scan("LOC-A-01-01")
    assert move.state.step == DONE and store.pending_count() == 1
    edge.reachable = True
    assert sync.pump().sent == 1
    ((path, body),) = edge.applied.values()
    assert path == "/api/v1/replenishments/DC01-R000001/confirm"
    assert {k: body[k] for k in ("from_barcode", "item_barcode", "qty", "to_barcode", "lease_epoch")} == {
        "from_barcode": "LOC-C-01-01", "item_barcode": GS1_LOT, "qty": 25, "to_barcode": "LOC-A-01-01",
        "lease_epoch": 2}
