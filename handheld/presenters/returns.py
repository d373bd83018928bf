"""Take customer returns: scan the RMA or the parcel's order number, scan items, say what becomes of each, close.

Items are checked on the device against the order's shipped lines (cached with the return), so returns go on with
no Wi-Fi like receiving; every confirmation is queued with its op_id and replayed in order by the sync loop. A
restock names where the goods went by scanning that location (the item's pick face is suggested), or leaves them
at RECV for the Put away screen.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

from protocols.barcode import BADGE, GTIN, SSCC, BarcodeError, classify, matches_item, matches_location

from . import returns_messages as text
from ..edge_client import EdgeRefused
from .feedback import Feedback, bad, good, info
from .pick_state import typed_qty
from .ports import Outcome, RunInBackground, Sync
from .receiving import Pending
from .refusals import describe_refusal

if TYPE_CHECKING:  # stores are injected; presenters never import sqlite3
    from ..local_store import LocalStore, QueuedOp
    from ..receiving_cache import ReceivingCache

RETURN = "return"
OPS = ("return_start", "return_items", "return_close")
DOWNLOAD_LIMIT = 10


@dataclass(frozen=True)
class ReturnsViewState:
    returns: tuple[str, ...] = ()
    return_id: str = ""
    prompt: str = text.RETURNS_PROMPT
    feedback: Feedback = field(default_factory=Feedback)
    progress: str = ""
    pending: Pending | None = None
    restock_to: str = ""               # the suggested location while waiting for a location scan
    scanned_location: str = ""         # another location, waiting for a reason
    reasons: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()


def returned(ret: dict, synced_seq: int, ops: list[QueuedOp]) -> tuple[dict[str, int], bool]:
    """Return (units back per sku on this return, closed) from the edge's copy plus this device's later ops."""
    got = {line["sku"]: line.get("returned_qty", 0) for line in ret.get("lines", [])}
    closed = ret.get("status") == "closed"
    prefix = f"/api/v1/returns/{ret['return_id']}/"
    for op in ops:
        if op.device_seq <= synced_seq or op.status == "refused" or not op.path.startswith(prefix):
            continue
        if op.type == "return_items":
            sku = _sku_of(ret, op.payload["barcode"])
            got[sku] = got.get(sku, 0) + op.payload["qty"]
        elif op.type == "return_close":
            closed = True
    return got, closed


class ReturnsPresenter:
    """Turn scans and taps on the returns screen into queued ops and the next view state."""

    def __init__(self, store: LocalStore, cache: ReceivingCache, client, sync: Sync,
                 run_in_background: RunInBackground, render: Callable[[ReturnsViewState], None],
                 now: Callable[[], str]):
        self.store, self.cache, self.client, self.sync = store, cache, client, sync
        self.bg, self.render, self.now = run_in_background, render, now
        self.state = ReturnsViewState()

    # -- the list
    def start(self) -> None:
        """Send what is queued, then download the open returns; offline, carry on with the cached ones."""
        self.bg(self._download, self._on_download)

    def _download(self) -> None:
        self.sync.pump()
        listed = self.client.get("/api/v1/returns?status=open")["returns"][:DOWNLOAD_LIMIT]
        details = [self.client.get(f"/api/v1/returns/{r['return_id']}") for r in listed]
        waiting = {op.payload.get("return_id") or op.path.split("/")[4] for op in self.store.pending_ops()
                   if op.type in OPS}
        self.cache.replace(RETURN, details, "return_id", self.now(), keep=waiting)

    def _on_download(self, outcome: Outcome) -> None:
        note = info(text.OFFLINE) if outcome.error is not None else self.state.feedback
        self._show(replace(self.state, returns=self._open_returns(), feedback=note, refusals=self._refusals()))

    def _open_returns(self) -> tuple[str, ...]:
        ops = self.store.ops()
        return tuple(r["return_id"] for r, seq in self.cache.all(RETURN) if not returned(r, seq, ops)[1])

    def select(self, return_id: str) -> None:
        ret, _ = self.cache.get(RETURN, return_id)
        self._show(ReturnsViewState(self._open_returns(), return_id, text.RETURN_OPEN.format(
            ret=return_id, order=ret["order_id"]), progress=self._progress_text(return_id), refusals=self._refusals()))

    def _open_for_order(self, order_id: str) -> None:
        """Open a return nobody announced: fetch the order's lines if the edge answers, else check them later."""
        self._show(replace(self.state, feedback=info(text.OPENING.format(order=order_id))))
        self.bg(lambda: self.client.get(f"/api/v1/returnable-orders/{order_id}"),
                lambda outcome: self._opened(order_id, outcome))

    def _opened(self, order_id: str, outcome: Outcome) -> None:
        if isinstance(outcome.error, EdgeRefused):
            return self._show(replace(self.state, feedback=bad(outcome.error.message)))
        return_id = "RT-" + uuid.uuid4().hex[:8].upper()
        lines = outcome.value["lines"] if outcome.error is None else []
        self.store.record("return_start", "/api/v1/returns", {"return_id": return_id, "order_id": order_id},
                          self.now())
        self.cache.put(RETURN, return_id, {"return_id": return_id, "rma_id": "", "order_id": order_id,
                                           "status": "open", "lines": lines}, self.now())
        self.sync.nudge()
        self.select(return_id)
        if outcome.error is not None:
            self._show(replace(self.state, feedback=info(text.OPENED_OFFLINE.format(ret=return_id, order=order_id))))

    # -- scans
    def on_scan(self, raw: str) -> None:
        """Route one scan: a return or order number, a typed quantity, an item, or a location to restock at."""
        if self.state.restock_to:  # restocking: this scan is the location the goods went to
            return self._location(raw)
        typed = typed_qty(raw)
        if self.state.pending is not None and typed is not None:
            return self._pend(replace(self.state.pending, qty=max(typed, 1)))
        wanted = raw.strip().upper()
        if wanted in self._open_returns():
            return self.select(wanted)
        if not self.state.return_id:
            match = next((r["return_id"] for r, _ in self.cache.all(RETURN)
                          if wanted in (r["order_id"].upper(), (r.get("rma_id") or "").upper())
                          and r["return_id"] in self._open_returns()), None)
            return self.select(match) if match else self._open_for_order(raw.strip())
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self._show(replace(self.state, feedback=bad(str(err))))
        self._item(raw.strip(), scan)

    def _item(self, raw: str, scan) -> None:
        ret, _ = self._return()
        line = next((line for line in ret["lines"] if matches_item(scan, line["barcodes"])), None)
        if line is None and ret["lines"]:
            return self._show(replace(self.state, feedback=bad(text.NOT_ON_ORDER.format(
                scanned=scan.value, order=ret["order_id"]))))
        sku = line["sku"] if line else scan.value
        pending = self.state.pending
        if pending is not None and pending.sku != sku:
            return self._show(replace(self.state, feedback=bad(text.OTHER_ITEM.format(sku=pending.sku))))
        self._pend(replace(pending, qty=pending.qty + 1) if pending else Pending(raw, sku, scan.lot or ""))

    def _pend(self, pending: Pending) -> None:
        ret, got = self._return()
        line = next((line for line in ret["lines"] if line["sku"] == pending.sku), None)
        if line is not None:
            left = line["shipped_qty"] - line.get("returned_before", 0) - got.get(pending.sku, 0)
            if pending.qty > left:
                return self._show(replace(self.state, feedback=bad(text.OVER_RETURN.format(
                    left=max(left, 0), sku=pending.sku, order=ret["order_id"]))))
        self._show(replace(self.state, pending=pending, reasons=(), restock_to="", scanned_location="",
                           feedback=good(text.ITEM_SCANNED.format(qty=pending.qty, sku=pending.sku))))

    # -- conditions
    def on_restock(self) -> None:
        """Ask for the location the goods go to (the item's pick face is suggested)."""
        pending = self._pending()
        if pending is None:
            return
        ret, _ = self._return()
        line = next((line for line in ret["lines"] if line["sku"] == pending.sku), {})
        where = line.get("restock_location", "")
        prompt = (text.GO_RESTOCK.format(qty=pending.qty, sku=pending.sku, location=where) if where
                  else text.GO_ANYWHERE.format(qty=pending.qty, sku=pending.sku))
        self._show(replace(self.state, prompt=prompt, restock_to=where or "-", reasons=(), feedback=info("")))

    def _location(self, raw: str) -> None:
        pending = self.state.pending
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self._show(replace(self.state, feedback=bad(str(err))))
        if scan.kind in (BADGE, GTIN, SSCC):
            return self._show(replace(self.state, feedback=bad(text.NOT_A_LOCATION)))
        ret, _ = self._return()
        line = next((line for line in ret["lines"] if line["sku"] == pending.sku), {})
        suggested = line.get("restock_location", "")
        if suggested and matches_location(scan, suggested, line.get("restock_barcode", "")):
            return self._queue_items({"condition": "restock", "location_barcode": scan.value},
                                     text.RESTOCKED.format(qty=pending.qty, sku=pending.sku, location=suggested))
        self._show(replace(self.state, scanned_location=scan.value, reasons=text.OVERRIDE_REASONS, feedback=bad(
            text.OTHER_LOCATION.format(suggested=suggested or "none", scanned=scan.value))))

    def on_later(self) -> None:
        """Leave the restocked goods at RECV; a putaway task takes them to their place."""
        pending = self._pending()
        if pending is not None:
            self._queue_items({"condition": "restock"}, text.RESTOCK_LATER.format(qty=pending.qty, sku=pending.sku))

    def on_quarantine(self) -> None:
        pending = self._pending()
        if pending is not None:
            self._queue_items({"condition": "quarantine"}, text.QUARANTINED.format(qty=pending.qty, sku=pending.sku))

    def on_scrap(self) -> None:
        pending = self._pending()
        if pending is not None:
            self._show(replace(self.state, reasons=text.SCRAP_REASONS, restock_to="", scanned_location="",
                               feedback=info(text.SCRAP_WHY.format(sku=pending.sku))))

    def on_reason(self, reason: str) -> None:
        """A reason tapped: for scrapping, or for restocking elsewhere than suggested."""
        pending = self._pending()
        if pending is None:
            return
        if self.state.scanned_location:
            return self._queue_items({"condition": "restock", "location_barcode": self.state.scanned_location,
                                      "location_reason": reason}, text.RESTOCKED.format(
                qty=pending.qty, sku=pending.sku, location=self.state.scanned_location))
        self._queue_items({"condition": "scrap", "reason": reason},
                          text.SCRAPPED.format(qty=pending.qty, sku=pending.sku, reason=reason))

    def on_close(self) -> None:
        if not self.state.return_id:
            return self._show(replace(self.state, feedback=bad(text.NO_RETURN)))
        return_id = self.state.return_id
        self.store.record("return_close", f"/api/v1/returns/{return_id}/close", {}, self.now())
        self.sync.nudge()
        self._show(ReturnsViewState(self._open_returns(), refusals=self._refusals(),
                                    feedback=good(text.CLOSED.format(ret=return_id))))

    def on_acknowledge(self) -> None:
        self.store.acknowledge_refusals(self.now())
        self._show(replace(self.state, refusals=()))

    def on_sync_changed(self) -> None:
        """Show a refusal the sync loop just met (an op replayed after an outage) without waiting for a refresh."""
        refusals = self._refusals()
        if refusals != self.state.refusals:
            self._show(replace(self.state, refusals=refusals, feedback=bad(refusals[-1]) if refusals
                               else self.state.feedback))

    # -- helpers
    def _pending(self) -> Pending | None:
        if self.state.pending is None:
            self._show(replace(self.state, feedback=bad(text.NOTHING_SCANNED if self.state.return_id
                                                        else text.NO_RETURN)))
        return self.state.pending

    def _queue_items(self, body: dict, said: str) -> None:
        pending = self.state.pending
        self.store.record("return_items", f"/api/v1/returns/{self.state.return_id}/items",
                          {"barcode": pending.barcode, "qty": pending.qty} | body, self.now())
        self.sync.nudge()
        ret, _ = self._return()
        self._show(replace(self.state, prompt=text.RETURN_OPEN.format(ret=self.state.return_id, order=ret["order_id"]),
                           pending=None, restock_to="", scanned_location="", reasons=(),
                           progress=self._progress_text(), feedback=good(said)))

    def _return(self, return_id: str = "") -> tuple[dict, dict[str, int]]:
        ret, seq = self.cache.get(RETURN, return_id or self.state.return_id)
        return ret, returned(ret, seq, self.store.ops())[0]

    def _progress_text(self, return_id: str = "") -> str:
        ret, got = self._return(return_id)
        shipped = {line["sku"]: line["shipped_qty"] for line in ret["lines"]}
        return " · ".join(f"{sku} {got.get(sku, 0)}/{shipped[sku]}" if sku in shipped else f"{sku} {got[sku]}"
                          for sku in dict.fromkeys([*shipped, *got]))

    def _refusals(self) -> tuple[str, ...]:
        return tuple(describe_refusal(op) for op in self.store.refusals() if op.type in OPS)

    def _show(self, state: ReturnsViewState) -> None:
        self.state = state
        self.render(state)


def _sku_of(ret: dict, barcode: str) -> str:
    """Return the sku a queued item scan counts for (its line's sku, else the scan itself)."""
    try:
        scan = classify(barcode)
    except BarcodeError:
        return barcode
    line = next((line for line in ret.get("lines", []) if matches_item(scan, line["barcodes"])), None)
    return line["sku"] if line else scan.value
