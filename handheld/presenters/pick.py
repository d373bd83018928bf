"""Guide one pick: go to location -> scan location -> scan item -> quantity -> confirm (or short).

Scans are checked locally against the cached task, so the picker can finish with no connection; every
confirmation is queued with its op_id in the same local transaction as the screen's state.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from protocols.barcode import BADGE, LOCATION, BarcodeError, classify, matches_item, matches_location
from protocols.barcode import messages as scan_messages

from ..edge_client import EdgeRefused, EdgeUnreachable
from . import messages
from .feedback import BAD, Feedback, bad, good, info
from .pick_state import (CONFIRM_QTY, LOADING, NO_TASK, OFFLINE, QTY_DIGITS, REFUSED, SCAN_ITEM, SCAN_LOCATION, SHORT,
                         PickViewState, typed_qty)
from .ports import Outcome, RunInBackground, Sync
from .refusals import DEVICE_WITHDRAWN, describe_refusal
from .short_pick import SHORT_REASONS, ShortPick
from .tracking import captured, refusal
from .verification import lot_refusal, needs_item_scan, needs_typed_qty, traced_needs

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import CachedTask, LocalStore

__all__ = ["CONFIRM_QTY", "LOADING", "NO_TASK", "OFFLINE", "QTY_DIGITS", "REFUSED", "SCAN_ITEM", "SCAN_LOCATION",
           "SHORT", "SHORT_REASONS", "Offline", "PickPresenter", "PickViewState", "Withdrawn"]
log = logging.getLogger(__name__)


class Offline(Exception):
    """Raise when queued ops could not be sent, so asking for the next task would return the old one."""


class Withdrawn(Exception):
    """Raise when the edge refused this device (revoked, or not enrolled): it must enrol again."""


class PickPresenter:
    """Turn scans and taps into local state changes, queued ops and the next view state."""

    def __init__(self, store: LocalStore, client, sync: Sync, run_in_background: RunInBackground,
                 render: Callable[[PickViewState], None], now: Callable[[], str],
                 on_signed_out: Callable[[], None] = lambda: None, task_limit: int = 5,
                 on_withdrawn: Callable[[str], None] = lambda message: None):
        self.store, self.client, self.sync, self.bg = store, client, sync, run_in_background
        self.render, self.now, self.on_signed_out = render, now, on_signed_out
        self.task_limit, self.on_withdrawn = task_limit, on_withdrawn
        self.state = PickViewState()
        self._barcode = ""
        self._traced: dict[str, str] = {}  # lot/serial/expiry the first item scan of this pick carried
        self._qty_typed = False  # the picker typed the quantity (a profile may need it confirmed so)
        self.short = ShortPick(store, sync, now)

    # -- loading tasks
    def start(self) -> None:
        """Show the task cached on this device, else ask the edge for the next one."""
        task = self.store.current_task()
        if task:
            return self._show_task(task, info(messages.GO_TO.format(location=task.data["location"])))
        self.next_task()

    def next_task(self) -> None:
        """Send what is queued first (else the edge hands back the same task), then fetch the next task."""
        self._show(replace(PickViewState(), refusals=self._refusals()))
        self.bg(self._fetch_next, self._on_next)

    def _fetch_next(self) -> CachedTask | None:
        """Push queued ops, then download (lease) a batch of tasks; offline, carry on with the cached ones."""
        pumped = self.sync.pump()
        if pumped.blocked == "withdrawn":
            raise Withdrawn(pumped.message)
        if pumped.blocked:
            cached = self.store.current_task()
            if cached is None:
                raise Offline()
            return cached
        try:
            tasks = self.client.my_tasks(self.task_limit)
        except EdgeUnreachable:
            cached = self.store.current_task()
            if cached is None:
                raise
            return cached
        self.store.cache_tasks(tasks, self.now())
        return self.store.current_task()

    def _on_next(self, outcome: Outcome) -> None:
        if isinstance(outcome.error, (Offline, EdgeUnreachable)):
            text = messages.OFFLINE_NO_TASK.format(waiting=self.store.pending_count())
            return self._show(PickViewState(OFFLINE, text, feedback=info(text), refusals=self._refusals()))
        if isinstance(outcome.error, Withdrawn):
            return self.on_withdrawn(str(outcome.error))
        if isinstance(outcome.error, EdgeRefused):
            if outcome.error.code in DEVICE_WITHDRAWN:
                return self.on_withdrawn(outcome.error.message)
            if outcome.error.status == 401:
                return self.on_signed_out()
            return self._show(PickViewState(NO_TASK, outcome.error.message, feedback=bad(outcome.error.message)))
        if outcome.error is not None:  # a bug: say so on screen rather than crash the picker's app
            log.error("fetching the next task failed", exc_info=outcome.error)
            return self._show(PickViewState(NO_TASK, messages.NO_TASK, feedback=bad(str(outcome.error))))
        task = outcome.value or self.store.current_task()
        if task is None:
            return self._show(PickViewState(NO_TASK, messages.NO_TASK, feedback=info(messages.NO_TASK),
                                            refusals=self._refusals()))
        self._show_task(task, info(messages.GO_TO.format(location=task.data["location"])))

    # -- scans
    def on_scan(self, raw: str) -> None:
        """Resolve the scan and check it against what the current step expects."""
        typed = typed_qty(raw)  # a short number typed into the scan field is a quantity
        if self.state.step == CONFIRM_QTY and typed is not None:
            return self.on_qty(raw.strip())
        if self.state.step == SHORT and typed is not None:
            return self._show(self.short.count(self.state, typed))
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self._feedback(bad(str(err)))
        task = self.store.task(self.state.task_id) if self.state.task_id else None
        if task is None or self.state.step not in (SCAN_LOCATION, SCAN_ITEM, CONFIRM_QTY):
            return self._feedback(bad(messages.NO_TASK))
        data = task.data
        if scan.kind == BADGE:
            return self._feedback(bad(scan_messages.render(scan_messages.BADGE_NOT_EXPECTED, expected=self._expected())))
        if self.state.step == SCAN_LOCATION:
            return self._scan_location(task, scan)
        if not matches_item(scan, data["item_barcodes"]):
            template = scan_messages.EXPECTED_ITEM_NOT_LOCATION if scan.kind == LOCATION else scan_messages.WRONG_ITEM
            return self._feedback(bad(scan_messages.render(template, expected=f"{data['sku']} ({data['description']})",
                                                           scanned=scan.value)))
        tracking = data.get("tracking", "none")
        why_not = (refusal(tracking, scan, self._traced if self.state.step == CONFIRM_QTY else {}, traced_needs(data))
                   or lot_refusal(data, scan, self.now()[:10]))
        if why_not:
            return self._feedback(bad(why_not))
        if self.state.step == SCAN_ITEM:
            traced = tracking != "none" or traced_needs(data)
            self._barcode, self._traced, self._qty_typed = scan.value, captured(scan) if traced else {}, False
            return self._show(replace(self.state, step=CONFIRM_QTY, qty_entered=1,
                                      prompt=messages.CONFIRM_QTY.format(qty=1, sku=data["sku"]),
                                      feedback=good(messages.ITEM_OK.format(sku=data["sku"]))))
        if self.state.qty_entered >= task.remaining:
            return self._feedback(bad(messages.ONLY_LEFT.format(left=task.remaining, sku=data["sku"])))
        qty = self.state.qty_entered + 1
        self._show(replace(self.state, qty_entered=qty, prompt=messages.CONFIRM_QTY.format(qty=qty, sku=data["sku"]),
                           feedback=good(messages.ITEM_OK.format(sku=data["sku"]))))

    def _scan_location(self, task: CachedTask, scan) -> None:
        data = task.data
        if not matches_location(scan, data["location"], data["location_barcode"]):
            if matches_item(scan, data["item_barcodes"]):
                text = scan_messages.render(scan_messages.EXPECTED_LOCATION_NOT_ITEM, expected=data["location_barcode"])
            else:
                text = scan_messages.render(scan_messages.WRONG_LOCATION, expected=data["location"], scanned=scan.value)
            return self._feedback(bad(text))
        self.store.record("location_scan", f"/api/v1/tasks/{task.task_id}/location-scan",
                          {"barcode": scan.value, "scanned_at": self.now()}, self.now(),
                          task_id=task.task_id, step=SCAN_ITEM)
        self.sync.nudge()
        self._show_task(self.store.task(task.task_id), good(messages.LOCATION_OK.format(location=data["location"])))

    # -- quantity and confirmation
    def on_qty(self, text: str) -> None:
        """Take a typed quantity instead of scanning each item."""
        task = self.store.task(self.state.task_id) if self.state.task_id else None
        if task is None or self.state.step != CONFIRM_QTY:
            return
        if not (text.strip().isdigit() and 1 <= int(text) <= task.remaining):
            return self._feedback(bad(messages.BAD_QTY.format(low=1, high=task.remaining)))
        self._qty_typed = True
        self._show(replace(self.state, qty_entered=int(text),
                           prompt=messages.CONFIRM_QTY.format(qty=int(text), sku=task.data["sku"])))

    def on_confirm(self) -> None:
        """Queue the pick with its op_id and move the task on, in one local transaction."""
        task = self.store.task(self.state.task_id) if self.state.task_id else None
        if task is None or self.state.step != CONFIRM_QTY:
            return self._feedback(bad(scan_messages.render(scan_messages.WRONG_ITEM, expected=self._expected(),
                                                           scanned="nothing")))
        if needs_typed_qty(task.data) and not self._qty_typed:
            return self._feedback(bad(messages.TYPE_QTY))
        qty, sku = self.state.qty_entered, task.data["sku"]
        picked = task.picked_qty + qty
        done = picked >= task.data["qty"]
        confirmed = {"qty_confirmed": True} if self._qty_typed else {}
        self.store.record("pick", f"/api/v1/tasks/{task.task_id}/picks",
                          {"barcode": self._barcode, "qty": qty, "scanned_at": self.now(), **self._traced,
                           **confirmed},
                          self.now(),
                          task_id=task.task_id, step="done" if done else SCAN_ITEM, picked_qty=picked)
        self.sync.nudge()
        if done:
            self._feedback(good(messages.TASK_DONE.format(qty=picked, sku=sku)))
            return self.bg(self._fetch_next, self._on_next_keeping_feedback)
        self._show_task(self.store.task(task.task_id),
                        good(messages.PICKED.format(qty=qty, sku=sku, left=task.data["qty"] - picked)))

    def _on_next_keeping_feedback(self, outcome: Outcome) -> None:
        done = Feedback(self.state.feedback.tone, self.state.feedback.message + self.short.alternative(self.state.sku))
        self._on_next(outcome)
        self._show(replace(self.state, feedback=Feedback(done.tone, done.message + " " + self.state.prompt)))

    # -- skip
    def on_postpone(self, reason: str = "skipped") -> None:
        """Put the current task back in the pool (queued like any op) and move on to the next one."""
        task = self.store.task(self.state.task_id) if self.state.task_id else None
        if task is None or task.step not in (SCAN_LOCATION, SCAN_ITEM):
            return self._feedback(bad(messages.NO_TASK))
        self.store.record("postpone", f"/api/v1/tasks/{task.task_id}/postpone", {"reason": reason}, self.now(),
                          task_id=task.task_id, step="postponed")
        self.sync.nudge()
        self._feedback(info(messages.POSTPONED.format(task=task.task_id)))
        self.bg(self._fetch_next, self._on_next_keeping_feedback)

    # -- short pick
    def on_short(self) -> None:
        """Ask how many were found; only once the picker stands at the location."""
        self._show(self.short.ask(self.state))

    def on_short_confirm(self, qty_text: str, reason: str) -> None:
        """Queue the short pick (see ShortPick.queue), then move on to the next task."""
        feedback = self.short.queue(self.state, qty_text, reason)
        if feedback is None:
            return
        self._feedback(feedback)
        if feedback.tone != BAD:
            self.bg(self._fetch_next, self._on_next_keeping_feedback)

    def on_cancel(self) -> None:
        """Leave the short or quantity step and go back to scanning the item."""
        task = self.store.task(self.state.task_id) if self.state.task_id else None
        if task and task.step == SCAN_ITEM:
            self._show_task(task, info(""))

    # -- refusals from the sync loop
    def on_sync_changed(self) -> None:
        """Show refusals the sync loop stored; drop the current task if the edge refused it."""
        refusals = self._refusals()
        if refusals == self.state.refusals:
            return
        task = self.store.task(self.state.task_id) if self.state.task_id else None
        if task is not None and task.step == REFUSED:
            return self._show(PickViewState(REFUSED, refusals[-1], feedback=bad(refusals[-1]), refusals=refusals))
        feedback = bad(refusals[-1]) if refusals else self.state.feedback
        self._show(replace(self.state, refusals=refusals, feedback=feedback))

    def on_acknowledge(self) -> None:
        """The picker has read the refusals: clear them and carry on with the next task."""
        self.store.acknowledge_refusals(self.now())
        self.state = replace(self.state, refusals=())
        if self.state.step in (REFUSED, NO_TASK, OFFLINE):
            return self.next_task()
        self._show(self.state)

    # -- view
    def _refusals(self) -> tuple[str, ...]:
        out = []
        for op in self.store.refusals():
            task = self.store.task(op.task_id) if op.task_id else None
            out.append(describe_refusal(op, task.data["location"] if task else "its location"))
        return tuple(out)

    def _expected(self) -> str:
        if self.state.step == SCAN_LOCATION:
            return f"location {self.state.location}"
        return f"item {self.state.sku}"

    def _show_task(self, task: CachedTask, feedback: Feedback) -> None:
        data = task.data
        if task.step == SCAN_ITEM and not needs_item_scan(data):  # the profile asks for no item scan
            left = data["qty"] - task.picked_qty
            self._barcode, self._traced, self._qty_typed = "", {}, False
            prompt = messages.TAKE_QTY.format(qty=left, sku=data["sku"], description=data["description"],
                                              location=data["location"])
            return self._show(PickViewState(CONFIRM_QTY, prompt, task.task_id, data["location"], data["sku"],
                                            data["description"], data["qty"], task.picked_qty, left, feedback,
                                            self._refusals()))
        prompt = (messages.GO_TO.format(location=data["location"]) if task.step == SCAN_LOCATION
                  else messages.SCAN_ITEM.format(sku=data["sku"], description=data["description"]))
        self._show(PickViewState(task.step, prompt, task.task_id, data["location"], data["sku"], data["description"],
                                 data["qty"], task.picked_qty, 0, feedback, self._refusals()))

    def _feedback(self, feedback: Feedback) -> None:
        self._show(replace(self.state, feedback=feedback))

    def _show(self, state: PickViewState) -> None:
        self.state = state
        self.render(state)
