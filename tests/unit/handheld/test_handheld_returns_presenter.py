"""The returns presenter with a fake edge: checks on the device, restock by location scan, offline work and replay."""
import subprocess
import sys
from pathlib import Path

import pytest

from handheld.edge_client import EdgeRefused, EdgeUnreachable
from handheld.local_store import LocalStore
from handheld.presenters.feedback import BAD, GOOD
from handheld.presenters.ports import run_inline
from handheld.presenters.returns import ReturnsPresenter
from handheld.receiving_cache import ReceivingCache
from handheld.sync_loop import SyncLoop

NOW = "2025-03-03T09:00:00+00:00"
MUG = {"sku": "SKU-BLUE-MUG", "barcodes": ["SKU-BLUE-MUG", "05012345678900"], "tracking": "none", "shipped_qty": 3,
       "expected_qty": 2, "returned_before": 0, "returned_qty": 1, "restock_location": "A-01-01",
       "restock_barcode": "LOC-A-01-01"}
KETTLE = {"sku": "SKU-KETTLE", "barcodes": ["SKU-KETTLE"], "tracking": "none", "shipped_qty": 1, "expected_qty": 0,
          "returned_before": 0, "returned_qty": 0, "restock_location": "B-01-01", "restock_barcode": "LOC-B-01-01"}
RMA = {"return_id": "RMA-1", "rma_id": "RMA-1", "order_id": "SO-1", "status": "open", "lines": [MUG, KETTLE]}
SHIPPED_SO_7 = {"return_id": "", "order_id": "SO-7", "status": "open", "lines": [dict(KETTLE, shipped_qty=2)]}


class FakeEdge:
    """The edge's return reads from fixed data; POSTs kept per op_id; refusals and outages on demand."""

    def __init__(self):
        self.reachable, self.applied, self.refuse = True, {}, {}

    def get(self, path):
        if not self.reachable:
            raise EdgeUnreachable("edge at fake unreachable")
        if path.startswith("/api/v1/returns?"):
            return {"returns": [{"return_id": "RMA-1"}]}
        if path == "/api/v1/returnable-orders/SO-7":
            return SHIPPED_SO_7
        if path.startswith("/api/v1/returnable-orders/"):
            raise EdgeRefused(409, "order_not_shipped", "Order SO-2 was not shipped from this site (it is picking).")
        return RMA

    def post(self, path, body):
        if not self.reachable:
            raise EdgeUnreachable("edge at fake unreachable")
        for fragment, (status, code, message) in self.refuse.items():
            if fragment in path:
                raise EdgeRefused(status, code, message)
        self.applied.setdefault(body["op_id"], (path, body))
        return {}


@pytest.fixture
def edge():
    return FakeEdge()


@pytest.fixture
def device(tmp_path, edge):
    store, cache = LocalStore(str(tmp_path / "device.db")), ReceivingCache(str(tmp_path / "device.db"))
    sync = SyncLoop(store, edge, now=lambda: NOW)
    views = []
    returns = ReturnsPresenter(store, cache, edge, sync, run_inline, views.append, lambda: NOW)
    returns.start()
    return store, sync, returns


def sent(edge) -> list[tuple[str, dict]]:
    return [(path.rsplit("/", 1)[-1], {k: v for k, v in body.items() if k != "op_id"})
            for path, body in edge.applied.values()]


def test_items_are_checked_against_the_order_and_restocked_by_scanning_the_suggested_location(device, edge):
    store, sync, returns = device
    returns.on_scan("so-1")  # the order number on the parcel finds its RMA
    assert returns.state.return_id == "RMA-1" and returns.state.progress == "SKU-BLUE-MUG 1/3 · SKU-KETTLE 0/1"
    returns.on_scan("SKU-TEAPOT")
    assert returns.state.feedback.tone == BAD and "not shipped on order SO-1" in returns.state.feedback.message
    returns.on_scan("05012345678900")
    returns.on_scan("3")
    assert "Only 2 more × SKU-BLUE-MUG" in returns.state.feedback.message and store.pending_count() == 0
    returns.on_scan("1")
    returns.on_restock()
    assert "to A-01-01 and scan its label" in returns.state.prompt
    returns.on_scan("05012345678900")
    assert "Scan the location label" in returns.state.feedback.message
    returns.on_scan("LOC-A-01-01")
    assert returns.state.feedback.tone == GOOD and returns.state.progress == "SKU-BLUE-MUG 2/3 · SKU-KETTLE 0/1"
    returns.on_scan("SKU-KETTLE")
    returns.on_restock()
    returns.on_scan("LOC-C-01-01")
    assert returns.state.reasons and store.pending_count() == 1
    returns.on_reason("Closer location")
    returns.on_close()
    sync.pump()
    assert sent(edge) == [
        ("items", {"barcode": "05012345678900", "qty": 1, "condition": "restock", "location_barcode": "LOC-A-01-01"}),
        ("items", {"barcode": "SKU-KETTLE", "qty": 1, "condition": "restock", "location_barcode": "LOC-C-01-01",
                   "location_reason": "Closer location"}),
        ("close", {})]


def test_quarantine_scrap_with_a_reason_and_restock_later_are_queued_as_such(device, edge):
    store, sync, returns = device
    returns.on_scan("RMA-1")
    returns.on_scan("SKU-BLUE-MUG")
    returns.on_quarantine()
    returns.on_scrap()
    assert returns.state.feedback.tone == BAD and "Scan an item first" in returns.state.feedback.message
    returns.on_scan("SKU-BLUE-MUG")
    returns.on_scrap()
    assert returns.state.reasons == ("Broken", "Used or opened", "Expired") and store.pending_count() == 1
    returns.on_reason("Broken")
    returns.on_scan("SKU-KETTLE")
    returns.on_restock()
    returns.on_later()
    sync.pump()
    assert [body for _, body in sent(edge)] == [
        {"barcode": "SKU-BLUE-MUG", "qty": 1, "condition": "quarantine"},
        {"barcode": "SKU-BLUE-MUG", "qty": 1, "condition": "scrap", "reason": "Broken"},
        {"barcode": "SKU-KETTLE", "qty": 1, "condition": "restock"}]


def test_a_return_opened_offline_is_completed_and_replayed_in_order_and_a_refusal_is_shown(device, edge):
    store, sync, returns = device
    returns.on_scan("SO-2")
    assert returns.state.return_id == "" and "was not shipped from this site" in returns.state.feedback.message
    edge.reachable = False
    returns.on_scan("SO-9")  # unknown to this handheld and no Wi-Fi: opened now, checked by the site on replay
    assert returns.state.return_id.startswith("RT-") and "No connection" in returns.state.feedback.message
    returns.on_scan("SKU-KETTLE")
    returns.on_quarantine()
    returns.on_close()
    assert sync.pump().blocked == "unreachable" and store.pending_count() == 3
    edge.reachable = True
    edge.refuse["/items"] = (409, "not_on_order", "SKU-KETTLE was not shipped on order SO-9.")
    sync.pump()
    assert [action for action, _ in sent(edge)] == ["returns", "close"]
    returns.on_sync_changed()  # the app calls this whenever the sync loop reports
    assert "SKU-KETTLE was not shipped on order SO-9." in returns.state.refusals[0]
    assert returns.state.feedback.tone == BAD
    returns.on_acknowledge()
    assert returns.state.refusals == ()


def test_an_unannounced_return_online_uses_the_orders_lines(device, edge):
    store, sync, returns = device
    returns.on_scan("SO-7")
    assert returns.state.return_id.startswith("RT-") and returns.state.progress == "SKU-KETTLE 0/2"
    returns.on_scan("SKU-KETTLE")
    returns.on_scan("SKU-KETTLE")
    returns.on_scan("SKU-KETTLE")
    assert "Only 2 more × SKU-KETTLE" in returns.state.feedback.message and returns.state.pending.qty == 2
    returns.on_quarantine()
    sync.pump()
    assert sent(edge)[0] == ("returns", {"return_id": returns.state.return_id, "order_id": "SO-7"})


def test_returns_presenter_imports_no_kivy_and_no_sqlite3():
    code = ("import sys; import handheld.presenters.returns; "
            "print(sorted(m for m in ('kivy', 'sqlite3') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[3],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
