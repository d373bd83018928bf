"""Put away received goods: take the next task, carry the goods to the suggested location, scan its label.

Another location needs a reason (tapped); the edge checks the FEFO and capacity rules when the op arrives, and a
refusal on replay is shown here with what to do. Tasks are cached on the device, so putaway works with no Wi-Fi.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

from protocols.barcode import BADGE, GTIN, SSCC, BarcodeError, classify, matches_location

from . import receiving_messages as text
from .feedback import Feedback, bad, good, info
from .ports import Outcome, RunInBackground, Sync
from .refusals import describe_refusal

if TYPE_CHECKING:  # stores are injected; presenters never import sqlite3
    from ..local_store import LocalStore
    from ..receiving_cache import ReceivingCache

PUTAWAY = "putaway"
OP = "putaway"


@dataclass(frozen=True)
class PutawayViewState:
    task_id: str = ""
    prompt: str = text.PUTAWAY_NONE
    feedback: Feedback = field(default_factory=Feedback)
    left: int = 0
    scanned: str = ""  # a location other than the suggested one, waiting for a reason
    reasons: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()


def describe(task: dict) -> str:
    lot = f" (lot {task['lot']}, expiry {task['expiry'] or 'none'})" if task.get("lot") else ""
    return f"{task['qty']} × {task['sku']}{lot}"


class PutawayPresenter:
    """Turn location scans and reason taps into queued putaway confirmations."""

    def __init__(self, store: LocalStore, cache: ReceivingCache, client, sync: Sync,
                 run_in_background: RunInBackground, render: Callable[[PutawayViewState], None],
                 now: Callable[[], str]):
        self.store, self.cache, self.client, self.sync = store, cache, client, sync
        self.bg, self.render, self.now = run_in_background, render, now
        self.state = PutawayViewState()
        self._skipped: list[str] = []

    def start(self) -> None:
        """Send what is queued, then download the open putaways; offline, carry on with the cached ones."""
        self.bg(self._download, self._on_download)

    def _download(self) -> None:
        self.sync.pump()
        tasks = self.client.get("/api/v1/putaway-tasks")["tasks"]
        waiting = {op.path.split("/")[4] for op in self.store.pending_ops() if op.type == OP}
        self.cache.replace(PUTAWAY, tasks, "task_id", self.now(), keep=waiting)

    def _on_download(self, outcome: Outcome) -> None:
        self._next(info(text.PUTAWAY_OFFLINE) if outcome.error is not None else info(""))

    def _open_tasks(self) -> list[dict]:
        """Return cached tasks not yet confirmed on this device (a refused confirmation puts a task back)."""
        done = {op.path.split("/")[4] for op in self.store.ops() if op.type == OP and op.status != "refused"}
        tasks = [task for task, _ in self.cache.all(PUTAWAY) if task["task_id"] not in done]
        return sorted(tasks, key=lambda t: (t["task_id"] in self._skipped, t["task_id"]))

    def _next(self, feedback: Feedback) -> None:
        tasks = self._open_tasks()
        refusals = tuple(describe_refusal(op) for op in self.store.refusals() if op.type == OP)
        if not tasks:
            return self._show(PutawayViewState(feedback=feedback, refusals=refusals))
        task = tasks[0]
        template = text.PUTAWAY_GO if task["suggested_location"] else text.PUTAWAY_ANYWHERE
        self._show(PutawayViewState(task["task_id"], template.format(what=describe(task),
                                                                     location=task["suggested_location"],
                                                                     source=task.get("from_location", "RECV")),
                                    feedback, len(tasks), refusals=refusals,
                                    reasons=() if task["suggested_location"] else text.OVERRIDE_REASONS))

    def on_scan(self, raw: str) -> None:
        """Confirm at the suggested location; any other location waits for a reason."""
        task = self._task()
        if task is None:
            return self._show(replace(self.state, feedback=bad(text.PUTAWAY_NONE)))
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self._show(replace(self.state, feedback=bad(str(err))))
        if scan.kind in (BADGE, GTIN, SSCC):
            return self._show(replace(self.state, feedback=bad(text.PUTAWAY_NOT_LOCATION)))
        if task["suggested_location"] and matches_location(scan, task["suggested_location"],
                                                           task["suggested_barcode"]):
            return self._confirm(task, scan.value, "")
        self._show(replace(self.state, scanned=scan.value, reasons=text.OVERRIDE_REASONS, feedback=bad(
            text.PUTAWAY_OTHER.format(suggested=task["suggested_location"] or "none", scanned=scan.value))))

    def on_reason(self, reason: str) -> None:
        task = self._task()
        if task is None or not self.state.scanned:
            return self._show(replace(self.state, feedback=bad(text.PUTAWAY_NOT_LOCATION)))
        self._confirm(task, self.state.scanned, reason)

    def on_skip(self) -> None:
        """Leave this putaway for later and show the next one."""
        if self.state.task_id:
            self._skipped.append(self.state.task_id)
        self._next(info(""))

    def on_acknowledge(self) -> None:
        self.store.acknowledge_refusals(self.now())
        self._show(replace(self.state, refusals=()))

    def _confirm(self, task: dict, location: str, reason: str) -> None:
        body = {"location_barcode": location} | ({"reason": reason} if reason else {})
        self.store.record(OP, f"/api/v1/putaway-tasks/{task['task_id']}/confirm", body, self.now())
        self.sync.nudge()
        self._next(good(text.PUTAWAY_DONE.format(qty=task["qty"], sku=task["sku"], location=location,
                                                 left=len(self._open_tasks()))))

    def _task(self) -> dict | None:
        cached = self.cache.get(PUTAWAY, self.state.task_id) if self.state.task_id else None
        return cached[0] if cached else None

    def _show(self, state: PutawayViewState) -> None:
        self.state = state
        self.render(state)
