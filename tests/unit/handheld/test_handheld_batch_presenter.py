"""The batch pick presenter with a fake edge: walk order, put-to-tote checks, refusals shown, nothing dropped."""
import pytest

from handheld.batch_cache import BatchCache
from handheld.edge_client import EdgeRefused, EdgeUnreachable
from handheld.local_store import LocalStore
from handheld.presenters.batch import CLOSE, NO_BATCH, OFFLINE, SCAN_ITEM, SCAN_LOCATION, BatchPresenter
from handheld.presenters.feedback import BAD
from handheld.presenters.ports import run_inline
from handheld.sync_loop import SyncLoop

NOW = "2025-03-03T09:00:00+00:00"


def a_stop(task_id, order_id, slot, sku, location, qty):
    return {"task_id": task_id, "order_id": order_id, "line_no": 1, "sku": sku, "description": sku.title(),
            "location": location, "location_barcode": f"LOC-{location}", "item_barcodes": [sku], "tracking": "none",
            "qty": qty, "picked_qty": 0, "status": "assigned", "next_step": "scan_location", "lease_epoch": 1,
            "lease_expires_at": None, "slot": slot, "tote": ""}


BATCH = {"batch_id": "B1", "wave_id": "W1", "status": "picking", "picker": "BADGE-0001",
         "slots": [{"slot": 1, "order_id": "SO-1", "tote": ""}, {"slot": 2, "order_id": "SO-2", "tote": ""}],
         "stops": [a_stop("T1", "SO-1", 1, "SKU-BLUE-MUG", "A-01-01", 2),
                   a_stop("T2", "SO-2", 2, "SKU-BLUE-MUG", "A-01-01", 1)],
         "done": 0, "total": 2}


class FakeBatchEdge:
    """Hand out one batch; apply ops once per op_id; refuse or drop off the network on demand."""

    def __init__(self):
        self.reachable, self.batch, self.applied, self.refuse = True, BATCH, {}, {}

    def get(self, path):
        if not self.reachable:
            raise EdgeUnreachable("edge away")
        assert path == "/api/v1/batches/next"
        batch, self.batch = self.batch, None
        return {"batch": batch}

    def post(self, path, body):
        if not self.reachable:
            raise EdgeUnreachable("edge away")
        for fragment, (status, code, message) in self.refuse.items():
            if fragment in path:
                raise EdgeRefused(status, code, message)
        self.applied.setdefault(body["op_id"], (path, body))
        return {"message": "ok"}


@pytest.fixture
def rig(tmp_path):
    edge, store, views = FakeBatchEdge(), LocalStore(str(tmp_path / "device.db")), []
    sync = SyncLoop(store, edge, now=lambda: NOW)
    presenter = BatchPresenter(store, BatchCache(str(tmp_path / "device.db")), edge, sync, run_inline, views.append,
                               lambda: NOW)
    return edge, store, presenter


def put(presenter, qty, tote):
    if presenter.state.step == SCAN_LOCATION:
        presenter.on_scan("LOC-A-01-01")
    for _ in range(qty):
        presenter.on_scan("SKU-BLUE-MUG")
    presenter.on_scan(tote)


def test_a_typed_count_puts_several_at_once_and_the_walk_moves_on(rig):
    edge, store, presenter = rig
    presenter.start()
    assert (presenter.state.step, presenter.state.put_to) == (SCAN_LOCATION, "Slot 1 · SO-1 · empty tote")
    presenter.on_scan("LOC-A-01-01")
    presenter.on_scan("SKU-BLUE-MUG")
    presenter.on_scan("2")
    assert presenter.state.qty_entered == 2
    presenter.on_scan("3")
    assert presenter.state.feedback.tone == BAD and "Enter 1 to 2" in presenter.state.feedback.message
    presenter.on_scan("tote-01")
    assert (presenter.state.step, presenter.state.put_to) == (SCAN_LOCATION, "Slot 2 · SO-2 · empty tote")
    body = [op.payload for op in store.pending_ops() if op.type == "batch_pick"][0]
    assert (body["qty"], body["tote"], body["task_id"], body["lease_epoch"]) == (2, "TOTE-01", "T1", 1)


def test_a_refused_put_is_shown_and_the_pick_comes_back_to_do_again(rig):
    edge, store, presenter = rig
    presenter.start()
    edge.reachable = False
    put(presenter, 2, "TOTE-01")
    put(presenter, 1, "TOTE-02")
    assert presenter.state.step == CLOSE
    edge.reachable = True
    edge.refuse["/batches/B1/picks"] = (409, "lease_lost", "Your lead gave this batch to someone else.")
    assert presenter.sync.pump().refused == 2
    presenter.on_sync_changed()
    assert presenter.state.step == SCAN_ITEM and presenter.state.feedback.tone == BAD
    assert "Your lead gave this batch to someone else." in presenter.state.refusals[-1]
    assert "pick into tote" in presenter.state.refusals[-1]
    presenter.on_close()
    assert presenter.state.feedback.tone == BAD and not [o for o in store.pending_ops() if o.type == "batch_close"]


def test_no_batch_and_no_connection_say_what_to_do(rig):
    edge, store, presenter = rig
    edge.batch = None
    presenter.next_batch()
    assert presenter.state.step == NO_BATCH and "single picks" in presenter.state.prompt
    edge.reachable = False
    presenter.next_batch()
    assert presenter.state.step == OFFLINE and "No connection" in presenter.state.prompt


def test_a_count_needs_an_item_scan_first_and_a_lot_tracked_item_needs_its_gs1_label(rig):
    edge, store, presenter = rig
    edge.batch = dict(BATCH, stops=[dict(BATCH["stops"][0], tracking="lot", item_barcodes=["SKU-BLUE-MUG",
                                                                                           "05012345678900"])])
    presenter.start()
    presenter.on_scan("LOC-A-01-01")
    presenter.on_scan("2")
    assert presenter.state.feedback.tone == BAD and "Scan one SKU-BLUE-MUG first" in presenter.state.feedback.message
    presenter.on_scan("05012345678900")  # a plain GTIN carries no lot
    assert presenter.state.feedback.tone == BAD and presenter.state.qty_entered == 0
    presenter.on_scan("]C1010501234567890010L2403")  # GS1: GTIN + lot L2403
    presenter.on_scan("TOTE-01")
    body = [op.payload for op in store.pending_ops() if op.type == "batch_pick"][0]
    assert (body["qty"], body["lot"], body["tote"]) == (1, "L2403", "TOTE-01")
    presenter.on_close()
    assert presenter.state.feedback.tone == BAD and "Finish" in presenter.state.feedback.message
