"""Receiving and putaway presenters with a fake edge: checks on the device, queued ops, and what a replay shows."""
import subprocess
import sys
from pathlib import Path

import pytest

from handheld.edge_client import EdgeRefused, EdgeUnreachable
from handheld.local_store import LocalStore
from handheld.presenters.feedback import BAD, GOOD
from handheld.presenters.ports import run_inline
from handheld.presenters.putaway import PutawayPresenter
from handheld.presenters.receiving import ReceivingPresenter
from handheld.receiving_cache import ReceivingCache
from handheld.sync_loop import SyncLoop

NOW = "2025-03-03T09:00:00+00:00"
PALLET = "035012345000000016"
ASN = {"receipt_id": "ASN-1", "asn_id": "ASN-1", "blind": False, "status": "open", "over_tolerance_pct": 0,
       "lines": [{"line_no": 1, "sku": "SKU-KETTLE", "qty": 12, "sscc": PALLET, "barcodes": ["SKU-KETTLE"],
                  "tracking": "none", "received_qty": 0},
                 {"line_no": 2, "sku": "SKU-BLUE-MUG", "qty": 10, "sscc": "", "tracking": "none", "received_qty": 4,
                  "barcodes": ["SKU-BLUE-MUG", "05012345678900"]}],
       "pallets": [{"sscc": PALLET, "received": False}]}
TASK = {"task_id": "DC01-P000001", "sku": "SKU-KETTLE", "qty": 12, "lot": "", "expiry": "",
        "suggested_location": "B-01-01", "suggested_barcode": "LOC-B-01-01"}


class FakeEdge:
    """The edge's read endpoints from fixed data; POSTs kept per op_id; refusals and outages on demand."""

    def __init__(self):
        self.reachable, self.applied, self.refuse = True, {}, {}

    def get(self, path):
        if not self.reachable:
            raise EdgeUnreachable("edge at fake unreachable")
        if path.startswith("/api/v1/receipts?"):
            return {"receipts": [{"receipt_id": "ASN-1"}]}
        if path == "/api/v1/putaway-tasks":
            return {"tasks": [TASK]}
        return ASN

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
    receiving = ReceivingPresenter(store, cache, edge, sync, run_inline, lambda s: None, lambda: NOW)
    putaway = PutawayPresenter(store, cache, edge, sync, run_inline, lambda s: None, lambda: NOW)
    receiving.start()
    return store, sync, receiving, putaway


def sent(edge) -> list[tuple[str, dict]]:
    return [(path.rsplit("/", 1)[-1], {k: v for k, v in body.items() if k != "op_id"})
            for path, body in edge.applied.values()]


def test_scans_are_checked_on_the_device_and_queued_in_order(device, edge):
    store, sync, receiving, _ = device
    receiving.on_scan("asn-1")
    assert receiving.state.receipt_id == "ASN-1" and receiving.state.progress == "SKU-KETTLE 0/12 · SKU-BLUE-MUG 4/10"
    receiving.on_scan("SKU-TEAPOT")
    assert receiving.state.feedback.tone == BAD and "not on ASN-1" in receiving.state.feedback.message
    receiving.on_scan("035012345000000023")
    assert "is not on ASN-1" in receiving.state.feedback.message
    receiving.on_scan(PALLET)
    receiving.on_scan("5012345678900")
    receiving.on_scan("5012345678900")
    assert receiving.state.pending.qty == 2
    receiving.on_damaged()
    assert receiving.state.feedback.tone == GOOD and "into quarantine" in receiving.state.feedback.message
    receiving.on_close()
    sync.pump()
    assert sent(edge) == [("pallets", {"sscc": PALLET}),
                          ("items", {"barcode": "5012345678900", "qty": 2, "condition": "damaged"}),
                          ("close", {})]


def test_over_receipt_asks_for_a_reason_before_anything_is_queued(device, edge):
    store, sync, receiving, _ = device
    receiving.on_scan("ASN-1")
    receiving.on_scan("SKU-BLUE-MUG")
    receiving.on_scan("7")
    receiving.on_receive()
    assert receiving.state.reasons and "this makes 11" in receiving.state.feedback.message
    assert store.pending_count() == 0
    receiving.on_reason("ASN was wrong")
    sync.pump()
    assert sent(edge) == [("items", {"barcode": "SKU-BLUE-MUG", "qty": 7, "condition": "ok",
                                     "reason": "ASN was wrong"})]


def test_a_blind_receipt_can_be_started_and_worked_offline(device, edge):
    store, sync, receiving, _ = device
    edge.reachable = False
    receiving.on_blind()
    assert receiving.state.blind and receiving.state.receipt_id.startswith("BL-")
    receiving.on_scan("SKU-TEAPOT")
    receiving.on_receive()
    assert receiving.state.progress == "SKU-TEAPOT 1"
    edge.reachable = True
    sync.pump()
    assert [action for action, _ in sent(edge)] == ["receipts", "items"]


def test_putaway_elsewhere_needs_a_reason_and_a_refusal_on_replay_is_shown(device, edge):
    store, sync, _, putaway = device
    putaway.start()
    assert putaway.state.task_id == "DC01-P000001" and "to B-01-01" in putaway.state.prompt
    putaway.on_scan("05012345678900")
    assert "Scan the location label" in putaway.state.feedback.message
    putaway.on_scan("LOC-A-01-01")
    assert putaway.state.reasons and store.pending_count() == 0
    edge.refuse["putaway-tasks"] = (409, "expiry_mix", "A-01-01 already holds SKU-KETTLE expiring 250101.")
    putaway.on_reason("Closer location")
    assert putaway.state.task_id == "" and store.pending_count() == 1
    sync.pump()
    putaway.start()
    assert putaway.state.task_id == "DC01-P000001"  # offered again
    assert "A-01-01 already holds" in putaway.state.refusals[0]
    putaway.on_acknowledge()
    assert putaway.state.refusals == ()


def test_receiving_presenters_import_no_kivy_and_no_sqlite3():
    code = ("import sys; import handheld.presenters.receiving, handheld.presenters.putaway; "
            "print(sorted(m for m in ('kivy', 'sqlite3') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[3],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
