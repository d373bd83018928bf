"""Benchmark: scan -> feedback latency in the handheld pick presenter, validating locally (no network).

Each iteration scans a wrong item (bad feedback), the right item (good feedback) and confirms the pick
(local transaction + queued op). Prints one JSON line as its last output. Not part of `make test`.
"""
import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from handheld.edge_client import EdgeUnreachable
from handheld.local_store import LocalStore
from handheld.presenters.pick import PickPresenter
from handheld.presenters.ports import run_inline
from handheld.sync_loop import PumpResult, utc_now

TASK = {"task_id": "T-BENCH", "order_id": "SO-BENCH", "line_no": 1, "sku": "SKU-BLUE-MUG",
        "description": "Blue mug 350 ml", "location": "A-01-01", "location_barcode": "LOC-A-01-01",
        "item_barcodes": ["SKU-BLUE-MUG", "05012345678900"], "qty": 1_000_000, "picked_qty": 0,
        "status": "assigned", "next_step": "scan_location"}


class OfflineEdge:
    """An edge that is never reachable: every answer comes from local validation."""

    token = None

    def next_task(self):
        raise EdgeUnreachable("bench: offline")


class IdleSync:
    online = False

    def pump(self):
        return PumpResult(blocked="unreachable")

    def nudge(self) -> None:
        pass


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=500)
    args = parser.parse_args()
    store = LocalStore(str(Path(tempfile.mkdtemp(prefix="wes-bench-hh-")) / "device.db"))
    store.cache_task(TASK, utc_now())
    presenter = PickPresenter(store, OfflineEdge(), IdleSync(), run_inline, lambda state: None, utc_now)
    presenter.start()
    presenter.on_scan("LOC-A-01-01")
    scans, confirms = [], []
    for _ in range(args.iterations):
        for raw in ("SKU-KETTLE", "]C1010501234567890010LOT42\x1d17261231"):
            start = time.perf_counter()
            presenter.on_scan(raw)
            scans.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        presenter.on_confirm()
        confirms.append((time.perf_counter() - start) * 1000)
    everything = scans + confirms
    print(json.dumps({"bench": "scan_feedback", "median_ms": round(statistics.median(everything), 3),
                      "p99_ms": round(percentile(everything, 0.99), 3),
                      "scan_median_ms": round(statistics.median(scans), 3),
                      "confirm_median_ms": round(statistics.median(confirms), 3),
                      "confirm_p99_ms": round(percentile(confirms, 0.99), 3),
                      "samples": len(everything), "queued_ops": store.pending_count()}))


if __name__ == "__main__":
    main()
