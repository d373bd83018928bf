"""Guide a batch (cluster) pick: one walk sorted by location across several orders, each into its own tote.

At each stop: scan the location -> scan the item (once per unit, or scan one and type how many) -> scan the tote of
the order's cart slot (put-to-tote). The first pick of a slot binds the tote scanned to it; later picks of that
order must go into the same tote. Scans are checked against the downloaded batch, so the whole walk and the close
work with no connection; every confirmation is queued with its op_id and replayed in order by the sync loop.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from protocols.barcode import BADGE, ITEM, LOCATION, SSCC, BarcodeError, classify, matches_item, matches_location
from protocols.barcode import messages as scan_messages

from ..edge_client import EdgeRefused, EdgeUnreachable
from .batch_progress import BATCH_OPS, CLOSE_OP, LOCATION_OP, PICK_OP, SHORT_OP, Progress, Stop, progress
from .feedback import Feedback, bad, good, info
from .pick_state import typed_qty
from .ports import Outcome, RunInBackground, Sync
from .refusals import describe_refusal
from .tracking import captured, refusal

if TYPE_CHECKING:  # the store and cache are injected; presenters never import sqlite3
    from ..batch_cache import BatchCache
    from ..local_store import LocalStore

log = logging.getLogger(__name__)
LOADING, NO_BATCH, OFFLINE, SCAN_LOCATION, SCAN_ITEM, CLOSE, CLOSED = (
    "loading", "no_batch", "offline", "scan_location", "scan_item", "close", "closed")
NO_BATCH_TEXT = "No batch waiting. Check again in a minute, or take single picks."
OFFLINE_TEXT = "No connection to the site server, and no batch on this handheld. {waiting} waiting to be sent."


@dataclass(frozen=True)
class BatchViewState:
    """Everything the batch screen shows."""

    step: str = LOADING
    prompt: str = "Loading…"
    batch_id: str = ""
    location: str = ""
    item: str = ""          # sku and description
    put_to: str = ""        # "Slot 2 · SO-1 · tote TOTE-07"
    progress: str = ""      # "3 / 7 picks"
    qty: int = 0
    picked: int = 0
    qty_entered: int = 0
    feedback: Feedback = Feedback()
    refusals: tuple[str, ...] = ()


class Offline(Exception):
    """Raise when the edge cannot be reached and no batch is on the handheld."""


class BatchPresenter:
    """Turn scans and taps into queued ops and the next view state, over the batch cached on the device."""

    def __init__(self, store: LocalStore, cache: BatchCache, client, sync: Sync, run_in_background: RunInBackground,
                 render: Callable[[BatchViewState], None], now: Callable[[], str],
                 on_signed_out: Callable[[], None] = lambda: None):
        self.store, self.cache, self.client, self.sync, self.bg = store, cache, client, sync, run_in_background
        self.render, self.now, self.on_signed_out = render, now, on_signed_out
        self.state = BatchViewState()
        self._barcode, self._traced = "", {}

    # -- loading
    def start(self) -> None:
        """Carry on with the batch on this handheld, else ask the edge for one."""
        here = self._progress()
        if here is not None and not here.closed:
            return self._show_stop(here, info(f"Batch {here.batch['batch_id']}: carry on."))
        self.next_batch()

    def next_batch(self) -> None:
        """Send what is queued first (the edge must see the close), then claim the next batch."""
        self._show(BatchViewState(refusals=self._refusals()))
        self.bg(self._fetch, self._on_fetched)

    def _fetch(self) -> dict | None:
        if self.sync.pump().blocked:
            raise Offline()
        batch = self.client.get("/api/v1/batches/next")["batch"]
        if batch is not None:
            self.cache.save(batch, self.now())
        return batch

    def _on_fetched(self, outcome: Outcome) -> None:
        if isinstance(outcome.error, (Offline, EdgeUnreachable)):
            text = OFFLINE_TEXT.format(waiting=self.store.pending_count())
            return self._show(BatchViewState(OFFLINE, text, feedback=info(text), refusals=self._refusals()))
        if isinstance(outcome.error, EdgeRefused):
            if outcome.error.status == 401:
                return self.on_signed_out()
            return self._show(BatchViewState(NO_BATCH, outcome.error.message, feedback=bad(outcome.error.message)))
        if outcome.error is not None:  # a bug: say so on screen rather than crash the picker's app
            log.error("claiming the next batch failed", exc_info=outcome.error)
            return self._show(BatchViewState(NO_BATCH, NO_BATCH_TEXT, feedback=bad(str(outcome.error))))
        if outcome.value is None:
            self.cache.clear()
            return self._show(BatchViewState(NO_BATCH, NO_BATCH_TEXT, feedback=info(NO_BATCH_TEXT),
                                             refusals=self._refusals()))
        here = self._progress()
        empty = [str(s["slot"]) for s in here.batch["slots"] if s["slot"] not in here.totes]
        hint = f" Put an empty tote in slot(s) {', '.join(empty)}." if empty else ""
        self._show_stop(here, info(f"Batch {here.batch['batch_id']}: {len(here.batch['slots'])} orders, "
                                   f"{len(here.stops)} picks.{hint}"))

    # -- scans
    def on_scan(self, raw: str) -> None:
        """Take the location label, then items (or a typed count), then the tote the items go into."""
        here = self._progress()
        stop = here.current if here else None
        if stop is None or self.state.step not in (SCAN_LOCATION, SCAN_ITEM):
            return self._feedback(bad("No pick in hand. Press Next batch, or Close batch when all are done."))
        typed = typed_qty(raw)
        if self.state.step == SCAN_ITEM and typed is not None:
            if not self.state.qty_entered:
                return self._feedback(bad(f"Scan one {stop.data['sku']} first, then type how many."))
            return self._set_qty(stop, typed)
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self._feedback(bad(str(err)))
        if scan.kind == BADGE:
            return self._feedback(bad(scan_messages.render(scan_messages.BADGE_NOT_EXPECTED, expected="next label")))
        data = stop.data
        if self.state.step == SCAN_LOCATION:
            if not matches_location(scan, data["location"], data["location_barcode"]):
                return self._feedback(bad(scan_messages.render(scan_messages.WRONG_LOCATION,
                                                               expected=data["location"], scanned=scan.value)))
            self._record(LOCATION_OP, f"/api/v1/tasks/{stop.task_id}/location-scan", stop,
                         {"barcode": scan.value, "scanned_at": self.now()})
            return self._show_stop(self._progress(), good(f"At {data['location']}. Scan {data['sku']}."))
        if matches_item(scan, data["item_barcodes"]):
            if self.state.qty_entered >= stop.remaining:
                return self._feedback(bad(f"Only {stop.remaining} x {data['sku']} for this order. Scan the tote."))
            why_not = refusal(data.get("tracking", "none"), scan, self._traced if self.state.qty_entered else {})
            if why_not:
                return self._feedback(bad(why_not))
            if not self.state.qty_entered:
                self._barcode, self._traced = scan.value, captured(scan) if data.get("tracking", "none") != "none" \
                    else {}
            return self._set_qty(stop, self.state.qty_entered + 1)
        if scan.kind == LOCATION or not self.state.qty_entered:
            return self._feedback(bad(scan_messages.render(scan_messages.WRONG_ITEM,
                                                           expected=f"{data['sku']} ({data['description']})",
                                                           scanned=scan.value)))
        if scan.kind not in (ITEM, SSCC):
            return self._feedback(bad(f"{scan.value} is not a tote label. Scan the tote in slot {data['slot']}."))
        self._put(here, stop, scan.value.strip().upper())

    def _put(self, here: Progress, stop: Stop, tote: str) -> None:
        slot, order_id = stop.data["slot"], stop.data["order_id"]
        bound, other = here.totes.get(slot), here.slot_of_tote(tote)
        if bound and bound != tote:
            return self._feedback(bad(f"Wrong tote {tote}: order {order_id} goes in tote {bound} (slot {slot})."))
        if not bound and other is not None:
            return self._feedback(bad(f"Tote {tote} is in slot {other}. Put order {order_id} in slot {slot}."))
        qty = self.state.qty_entered
        self._record(PICK_OP, f"/api/v1/batches/{here.batch['batch_id']}/picks", stop,
                     {"task_id": stop.task_id, "barcode": self._barcode, "qty": qty, "tote": tote,
                      "scanned_at": self.now(), **self._traced})
        self._after_put(good(f"{qty} x {stop.data['sku']} in tote {tote} (slot {slot})."))

    def _set_qty(self, stop: Stop, qty: int) -> None:
        if not 1 <= qty <= stop.remaining:
            return self._feedback(bad(f"Enter 1 to {stop.remaining}."))
        data = stop.data
        self._show(replace(self.state, qty_entered=qty, feedback=good(f"{qty} x {data['sku']}"),
                           prompt=f"{qty} of {stop.remaining} x {data['sku']}: scan more, or scan the tote in "
                                  f"slot {data['slot']} to put them in."))

    # -- short, close
    def on_short(self, reason: str) -> None:
        """Report the current pick short with what was scanned so far found (at the location only)."""
        here = self._progress()
        stop = here.current if here else None
        if stop is None or self.state.step != SCAN_ITEM:
            return self._feedback(bad("Scan the location label first; short is for a pick you stand at."))
        found = self.state.qty_entered
        if found:  # what was found still goes into the tote: scan it first
            return self._feedback(bad(f"Put the {found} found in the tote first (scan it), then press short."))
        self._record(SHORT_OP, f"/api/v1/tasks/{stop.task_id}/short", stop, {"qty_found": 0, "reason": reason,
                                                                             "scanned_at": self.now()})
        self._after_put(info(f"Short recorded: {stop.remaining} x {stop.data['sku']} missing. Your lead is told."))

    def on_close(self) -> None:
        """Queue the close once every pick is done: the totes go to packing."""
        here = self._progress()
        if here is None or here.closed:
            return self._feedback(bad("No batch open on this handheld. Press Next batch."))
        if here.current is not None:
            return self._feedback(bad("Finish (or short) every pick of the batch first, then close it."))
        self.store.record(CLOSE_OP, f"/api/v1/batches/{here.batch['batch_id']}/close", {}, self.now())
        self.sync.nudge()
        totes = ", ".join(f"{here.totes[s['slot']]} ({s['order_id']})" for s in here.batch["slots"]
                          if s["slot"] in here.totes)
        text = f"Batch {here.batch['batch_id']} closed. Take the totes to packing: {totes or 'none were used'}."
        self._show(BatchViewState(CLOSED, "Press Next batch for more work.", here.batch["batch_id"],
                                  progress=self._count(here), feedback=good(text), refusals=self._refusals()))

    def _after_put(self, feedback: Feedback) -> None:
        self._barcode, self._traced = "", {}
        self._show_stop(self._progress(), feedback)

    # -- refusals from the sync loop
    def on_sync_changed(self) -> None:
        refusals = self._refusals()
        if refusals != self.state.refusals:
            here = self._progress()
            feedback = bad(refusals[-1]) if refusals else self.state.feedback
            if here is not None and self.state.step in (SCAN_LOCATION, SCAN_ITEM, CLOSE):
                return self._show_stop(here, feedback)  # a refused pick is to do again
            self._show(replace(self.state, refusals=refusals, feedback=feedback))

    def on_acknowledge(self) -> None:
        """The picker has read the refusals: clear them."""
        self.store.acknowledge_refusals(self.now())
        self._show(replace(self.state, refusals=()))

    # -- reads
    def current_stop(self) -> dict | None:
        """Return the pick in hand as downloaded (location, barcodes, slot), or None."""
        here = self._progress()
        stop = here.current if here else None
        return stop.data if stop else None

    def totes(self) -> dict[int, str]:
        """Return the tote bound to each cart slot so far (on this device)."""
        here = self._progress()
        return dict(here.totes) if here else {}

    # -- helpers
    def _record(self, kind: str, path: str, stop: Stop, payload: dict) -> None:
        """Queue one op, fenced by the lease the pick was downloaded under."""
        self.store.record(kind, path, dict(payload, lease_epoch=stop.data["lease_epoch"]), self.now(),
                          task_id=stop.task_id)
        self.sync.nudge()

    def _progress(self) -> Progress | None:
        cached = self.cache.current()
        return progress(cached[0], cached[1], self.store.ops()) if cached else None

    def _refusals(self) -> tuple[str, ...]:
        return tuple(describe_refusal(op) for op in self.store.refusals() if op.type in BATCH_OPS)

    @staticmethod
    def _count(here: Progress) -> str:
        return f"{here.done} / {len(here.stops)} picks"

    def _show_stop(self, here: Progress, feedback: Feedback) -> None:
        stop = here.current
        if stop is None:
            return self._show(BatchViewState(CLOSE, "All picks done: press Close batch.", here.batch["batch_id"],
                                             progress=self._count(here), feedback=feedback,
                                             refusals=self._refusals()))
        data = stop.data
        tote = here.totes.get(data["slot"], "")
        put_to = f"Slot {data['slot']} · {data['order_id']} · " + (f"tote {tote}" if tote else "empty tote")
        prompt = (f"Go to {data['location']} and scan its label." if stop.step == SCAN_LOCATION
                  else f"Scan {data['sku']} ({stop.remaining} for {data['order_id']}).")
        self._show(BatchViewState(stop.step, prompt, here.batch["batch_id"], data["location"],
                                  f"{data['sku']}  {data['description']}".strip(), put_to, self._count(here),
                                  data["qty"], stop.picked, 0, feedback, self._refusals()))

    def _feedback(self, feedback: Feedback) -> None:
        self._show(replace(self.state, feedback=feedback))

    def _show(self, state: BatchViewState) -> None:
        self.state = state
        self.render(state)
