"""Guide a replenishment: scan the reserve location -> scan the item (and lot) -> quantity -> scan the pick face.

Scanning the pick face confirms the move; it is queued with its op_id like a pick and works offline.
"""
from __future__ import annotations

from dataclasses import replace

from protocols.barcode import BarcodeError, classify, matches_item, matches_location

from .feedback import bad, good
from .floor_job import DONE, FloorJobPresenter, JobViewState
from .pick_state import typed_qty

SCAN_FROM, SCAN_ITEM, MOVE_QTY = "scan_from", "scan_item", "move_qty"


class ReplenishPresenter(FloorJobPresenter):
    KIND, WHAT, NONE_TEXT = "replenish", "replenishment", "No replenishments waiting. Check again later."

    def download(self) -> dict | None:
        return self.client.next_replenishment()

    def begin(self, job: dict) -> None:
        self.qty, self._item = 0, ""
        lot = f" lot {job['lot']}" if job.get("lot") else ""
        self._show(JobViewState(SCAN_FROM, f"Go to {job['from_location']} and scan its label.", job["replen_id"],
                                f"{job['from_location']} → {job['to_location']}",
                                f"{job['qty']} x {job['sku']}{lot}", refusals=self._refusals()))

    def on_scan(self, raw: str) -> None:
        """Reserve label, then the item (each scan one unit, or type the quantity), then the pick face label."""
        job = self.job
        if job is None or self.state.step not in (SCAN_FROM, SCAN_ITEM, MOVE_QTY):
            return self.feedback(bad("No replenishment in hand. Press Next."))
        typed = typed_qty(raw)
        if self.state.step == MOVE_QTY and typed is not None:
            return self._set_qty(typed)
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self.feedback(bad(str(err)))
        if self.state.step == SCAN_FROM:
            if not matches_location(scan, job["from_location"], job["from_barcode"]):
                return self.feedback(bad(f"Wrong location: take the stock from {job['from_location']}."))
            self._from = raw.strip()
            return self._show(replace(self.state, step=SCAN_ITEM, prompt=f"Scan {job['sku']}.",
                                      feedback=good(f"At {job['from_location']}.")))
        if matches_location(scan, job["to_location"], job["to_barcode"]) and self.state.step == MOVE_QTY:
            return self.queue(f"/api/v1/replenishments/{job['replen_id']}/confirm",
                              {"from_barcode": self._from, "item_barcode": self._item, "qty": self.qty,
                               "to_barcode": raw.strip()}, f"{self.qty} x {job['sku']} to {job['to_location']}")
        if not matches_item(scan, job["item_barcodes"]):
            return self.feedback(bad(f"Wrong item: you scanned {scan.value}. Take {job['sku']}."))
        if job.get("lot") and scan.lot and scan.lot != job["lot"]:
            return self.feedback(bad(f"Wrong lot: take lot {job['lot']}, it expires first."))
        self._item = self._item or raw.strip()
        self._set_qty(self.qty + 1)

    def _set_qty(self, qty: int) -> None:
        if not 1 <= qty <= self.job["qty"]:
            return self.feedback(bad(f"Move 1 to {self.job['qty']}."))
        self.qty = qty
        self._show(replace(self.state, step=MOVE_QTY, feedback=good(f"{qty} x {self.job['sku']}"),
                           prompt=f"{qty} of {self.job['qty']}. Scan more, or type the quantity; "
                                  f"then scan the pick face {self.job['to_location']}."))


__all__ = ["DONE", "MOVE_QTY", "SCAN_FROM", "SCAN_ITEM", "ReplenishPresenter"]
