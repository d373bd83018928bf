"""Receive goods: choose the ASN (or start a blind receipt), scan pallets or items and count, close.

Scans are checked against the receipt cached on the device, so receiving goes on with no Wi-Fi; every
confirmation is queued with its op_id and replayed in order by the sync loop. Progress shown is the edge's
figure at download plus this device's later ops.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

from protocols.barcode import SSCC, BarcodeError, Scan, classify, matches_item

from . import receiving_messages as text
from .feedback import Feedback, bad, good, info
from .pick_state import typed_qty
from .ports import Outcome, RunInBackground, Sync
from .refusals import describe_refusal
from .tracking import refusal as tracking_refusal

if TYPE_CHECKING:  # stores are injected; presenters never import sqlite3
    from ..local_store import LocalStore, QueuedOp
    from ..receiving_cache import ReceivingCache

RECEIPT = "receipt"
OPS = ("receipt_items", "pallet", "receipt_close", "blind_receipt")
DOWNLOAD_LIMIT = 10


@dataclass(frozen=True)
class Pending:
    """An item scanned and not yet confirmed: the raw scan goes to the edge, which reads lot and expiry again."""

    barcode: str
    sku: str
    lot: str = ""
    qty: int = 1


@dataclass(frozen=True)
class ReceivingViewState:
    receipts: tuple[str, ...] = ()
    receipt_id: str = ""
    blind: bool = False
    prompt: str = text.RECEIVE_PROMPT
    feedback: Feedback = field(default_factory=Feedback)
    progress: str = ""
    pending: Pending | None = None
    reasons: tuple[str, ...] = ()  # shown as buttons while a reason is needed
    refusals: tuple[str, ...] = ()


def progress(receipt: dict, synced_seq: int, ops: list[QueuedOp]) -> tuple[dict[str, int], set[str], bool]:
    """Return (received per sku, pallets received, closed) from the edge's copy plus this device's later ops."""
    got: dict[str, int] = {}
    for line in receipt.get("lines", []):
        got[line["sku"]] = got.get(line["sku"], 0) + line.get("received_qty", 0)
    pallets = {p["sscc"] for p in receipt.get("pallets", []) if p["received"]}
    closed = receipt.get("status") == "closed"
    prefix = f"/api/v1/receipts/{receipt['receipt_id']}/"
    for op in ops:
        if op.device_seq <= synced_seq or op.status == "refused" or not op.path.startswith(prefix):
            continue
        if op.type == "pallet":
            pallets.add(op.payload["sscc"])
            for line in receipt.get("lines", []):
                if line.get("sscc") == op.payload["sscc"]:
                    got[line["sku"]] = got.get(line["sku"], 0) + line["qty"]
        elif op.type == "receipt_items":
            sku = _sku_of(receipt, op.payload["barcode"])
            got[sku] = got.get(sku, 0) + op.payload["qty"]
        elif op.type == "receipt_close":
            closed = True
    return got, pallets, closed


class ReceivingPresenter:
    """Turn scans and taps on the receiving screen into queued ops and the next view state."""

    def __init__(self, store: LocalStore, cache: ReceivingCache, client, sync: Sync,
                 run_in_background: RunInBackground, render: Callable[[ReceivingViewState], None],
                 now: Callable[[], str]):
        self.store, self.cache, self.client, self.sync = store, cache, client, sync
        self.bg, self.render, self.now = run_in_background, render, now
        self.state = ReceivingViewState()
        self._condition = "ok"

    # -- the receipt list
    def start(self) -> None:
        """Send what is queued, then download the open receipts; offline, carry on with the cached ones."""
        self.bg(self._download, self._on_download)

    def _download(self) -> None:
        self.sync.pump()
        listed = self.client.get("/api/v1/receipts?status=open")["receipts"][:DOWNLOAD_LIMIT]
        details = [self.client.get(f"/api/v1/receipts/{r['receipt_id']}") for r in listed]
        waiting = {op.path.split("/")[4] for op in self.store.pending_ops() if op.type in OPS}
        self.cache.replace(RECEIPT, details, "receipt_id", self.now(), keep=waiting)

    def _on_download(self, outcome: Outcome) -> None:
        note = info(text.RECEIVE_OFFLINE) if outcome.error is not None else self.state.feedback
        self._show(replace(self.state, receipts=self._open_receipts(), feedback=note, refusals=self._refusals()))

    def _open_receipts(self) -> tuple[str, ...]:
        ops = self.store.ops()
        return tuple(r["receipt_id"] for r, seq in self.cache.all(RECEIPT) if not progress(r, seq, ops)[2])

    def select(self, receipt_id: str) -> None:
        cached = self.cache.get(RECEIPT, receipt_id)
        if cached is None:
            return self._show(replace(self.state, feedback=bad(text.NO_SUCH_RECEIPT.format(scanned=receipt_id))))
        receipt, _ = cached
        prompt = (text.BLIND_OPEN if receipt["blind"] else text.RECEIPT_OPEN).format(receipt=receipt_id)
        self._show(replace(self.state, receipt_id=receipt_id, blind=receipt["blind"], prompt=prompt,
                           feedback=info(""), pending=None, reasons=(), progress=self._progress_text(receipt_id),
                           refusals=self._refusals()))

    def on_blind(self) -> None:
        """Start a blind receipt under a number made here, so it can be started with no Wi-Fi."""
        receipt_id = "BL-" + uuid.uuid4().hex[:8].upper()
        self.store.record("blind_receipt", "/api/v1/receipts", {"receipt_id": receipt_id}, self.now())
        self.cache.put(RECEIPT, receipt_id, {"receipt_id": receipt_id, "asn_id": "", "blind": True, "status": "open",
                                             "over_tolerance_pct": 0, "lines": [], "pallets": []}, self.now())
        self.sync.nudge()
        self._show(replace(self.state, receipts=self._open_receipts()))
        self.select(receipt_id)

    # -- scans
    def on_scan(self, raw: str) -> None:
        """Route one scan: a receipt number, a quantity typed, a pallet SSCC or an item."""
        typed = typed_qty(raw)
        if self.state.pending is not None and typed is not None:
            return self.on_qty(typed)
        if not self.state.receipt_id or raw.strip().upper() in self.state.receipts:
            return self.select(raw.strip().upper())
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self._show(replace(self.state, feedback=bad(str(err))))
        if scan.kind == SSCC:
            return self._pallet(scan.value)
        self._item(raw.strip(), scan)

    def on_qty(self, qty: int) -> None:
        if self.state.pending is None:
            return self._show(replace(self.state, feedback=bad(text.NOTHING_SCANNED)))
        self._pend(replace(self.state.pending, qty=max(qty, 1)))

    def _pallet(self, sscc: str) -> None:
        receipt, got, pallets = self._receipt()
        lines = [line for line in receipt["lines"] if line.get("sscc") == sscc]
        if not lines:
            return self._show(replace(self.state, feedback=bad(text.PALLET_UNKNOWN.format(
                sscc=sscc, receipt=self.state.receipt_id))))
        if sscc in pallets:
            return self._show(replace(self.state, feedback=bad(text.PALLET_TWICE.format(sscc=sscc))))
        self._queue("pallet", "pallets", {"sscc": sscc})
        what = ", ".join(f"{line['qty']} × {line['sku']}" for line in lines)
        self._show(replace(self.state, pending=None, reasons=(), progress=self._progress_text(),
                           feedback=good(text.PALLET_OK.format(sscc=sscc, what=what))))

    def _item(self, raw: str, scan: Scan) -> None:
        receipt, _, _ = self._receipt()
        line = next((line for line in receipt["lines"] if matches_item(scan, line["barcodes"])), None)
        if line is None and not receipt["blind"]:
            return self._show(replace(self.state, feedback=bad(text.NOT_ON_ASN.format(
                scanned=scan.value, receipt=self.state.receipt_id))))
        tracking = line["tracking"] if line else "none"
        why_not = tracking_refusal("none" if tracking == "serial" else tracking, scan, {})
        if why_not:
            return self._show(replace(self.state, feedback=bad(why_not)))
        sku = line["sku"] if line else scan.value
        pending = self.state.pending
        if pending is not None and (pending.sku, pending.lot) == (sku, scan.lot or ""):
            return self._pend(replace(pending, qty=pending.qty + 1))
        if pending is not None:
            return self._show(replace(self.state, feedback=bad(text.OTHER_ITEM.format(sku=pending.sku))))
        self._pend(Pending(raw, sku, scan.lot or ""))

    def _pend(self, pending: Pending) -> None:
        lot = f" (lot {pending.lot})" if pending.lot else ""
        self._show(replace(self.state, pending=pending, reasons=(), feedback=good(text.ITEM_SCANNED.format(
            qty=pending.qty, sku=pending.sku, lot=lot))))

    # -- confirmations
    def on_receive(self, condition: str = "ok", reason: str = "") -> None:
        """Queue the scanned items as received; beyond the ASN plus its tolerance, ask for a reason first."""
        pending = self.state.pending
        if pending is None:
            return self._show(replace(self.state, feedback=bad(text.NOTHING_SCANNED)))
        receipt, got, _ = self._receipt()
        expected = sum(line["qty"] for line in receipt["lines"] if line["sku"] == pending.sku)
        total = got.get(pending.sku, 0) + pending.qty
        allowed = expected + expected * receipt.get("over_tolerance_pct", 0) // 100
        if not receipt["blind"] and total > allowed and not reason:
            self._condition = condition  # kept for the reason tap that follows
            return self._show(replace(self.state, reasons=text.OVER_REASONS, feedback=bad(text.OVER_NEEDS_REASON.format(
                expected=expected, sku=pending.sku, total=total))))
        body = {"barcode": pending.barcode, "qty": pending.qty, "condition": condition} | (
            {"reason": reason} if reason else {})
        self._queue("receipt_items", "items", body)
        where = " into quarantine" if condition == "damaged" else ""
        self._show(replace(self.state, pending=None, reasons=(), progress=self._progress_text(), feedback=good(
            text.RECEIVED.format(qty=pending.qty, sku=pending.sku, where=where, got=total, expected=expected))))

    def on_damaged(self) -> None:
        self.on_receive("damaged")

    def on_reason(self, reason: str) -> None:
        self.on_receive(self._condition, reason)

    def on_close(self) -> None:
        if not self.state.receipt_id:
            return self._show(replace(self.state, feedback=bad(text.NO_RECEIPT)))
        receipt_id = self.state.receipt_id
        self._queue("receipt_close", "close", {})
        self._show(ReceivingViewState(receipts=self._open_receipts(), refusals=self._refusals(),
                                      feedback=good(text.RECEIPT_CLOSED.format(receipt=receipt_id))))

    def on_acknowledge(self) -> None:
        self.store.acknowledge_refusals(self.now())
        self._show(replace(self.state, refusals=()))

    # -- helpers
    def _queue(self, op_type: str, action: str, body: dict) -> None:
        self.store.record(op_type, f"/api/v1/receipts/{self.state.receipt_id}/{action}", body, self.now())
        self.sync.nudge()

    def _receipt(self, receipt_id: str = "") -> tuple[dict, dict[str, int], set[str]]:
        receipt, seq = self.cache.get(RECEIPT, receipt_id or self.state.receipt_id)
        got, pallets, _ = progress(receipt, seq, self.store.ops())
        return receipt, got, pallets

    def _progress_text(self, receipt_id: str = "") -> str:
        receipt, got, _ = self._receipt(receipt_id)
        expected: dict[str, int] = {}
        for line in receipt["lines"]:
            expected[line["sku"]] = expected.get(line["sku"], 0) + line["qty"]
        skus = list(dict.fromkeys([*expected, *got]))
        return " · ".join(f"{sku} {got.get(sku, 0)}/{expected.get(sku, 0)}" if not receipt["blind"]
                          else f"{sku} {got.get(sku, 0)}" for sku in skus)

    def _refusals(self) -> tuple[str, ...]:
        return tuple(describe_refusal(op) for op in self.store.refusals() if op.type in OPS)

    def _show(self, state: ReceivingViewState) -> None:
        self.state = state
        self.render(state)


def _sku_of(receipt: dict, barcode: str) -> str:
    """Return the sku a queued item scan counts for (its line's sku, else the scan itself on a blind receipt)."""
    try:
        scan = classify(barcode)
    except BarcodeError:
        return barcode
    line = next((line for line in receipt.get("lines", []) if matches_item(scan, line["barcodes"])), None)
    return line["sku"] if line else scan.value
