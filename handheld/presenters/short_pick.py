"""The short-pick step of a pick: ask how many were found, queue the short, then say where else the sku is."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from . import messages
from .feedback import Feedback, bad, good, info
from .pick_state import CONFIRM_QTY, SCAN_ITEM, SHORT, PickViewState
from .ports import Sync

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import LocalStore

SHORT_REASONS = ("not_found", "damaged", "wrong_item_in_bin")


class ShortPick:
    """Turn the short-pick taps into view states and one queued short op; remember it for the alternative."""

    def __init__(self, store: LocalStore, sync: Sync, now: Callable[[], str]):
        self.store, self.sync, self.now = store, sync, now
        self._op_id: str | None = None

    def ask(self, state: PickViewState) -> PickViewState:
        """Return the short step asking how many were found; only once the picker stands at the location."""
        if state.step not in (SCAN_ITEM, CONFIRM_QTY):
            return replace(state, feedback=bad(messages.SHORT_NEEDS_LOCATION))
        return replace(state, step=SHORT, qty_entered=0, feedback=info(""),
                       prompt=messages.SHORT_PROMPT.format(sku=state.sku, location=state.location))

    def count(self, state: PickViewState, qty: int) -> PickViewState:
        """Return the short step with the count the picker typed into the scan field."""
        return replace(state, qty_entered=qty, feedback=info(messages.SHORT_FOUND.format(qty=qty)))

    def queue(self, state: PickViewState, qty_text: str, reason: str) -> Feedback | None:
        """Queue the short pick: pick what was found (typed now, or entered before), close the rest short.

        Return good feedback once queued, bad feedback for a count out of range, None when not in the short step.
        """
        qty_text = qty_text.strip() or str(state.qty_entered)
        task = self.store.task(state.task_id)
        if task is None or state.step != SHORT:
            return None
        if not (qty_text.isdigit() and 0 <= int(qty_text) < task.remaining):
            return bad(messages.BAD_QTY.format(low=0, high=task.remaining - 1))
        found = int(qty_text)
        self._op_id = self.store.record("short", f"/api/v1/tasks/{task.task_id}/short",
                                        {"qty_found": found, "reason": reason, "scanned_at": self.now()}, self.now(),
                                        task_id=task.task_id, step="done", picked_qty=task.picked_qty + found).op_id
        self.sync.nudge()
        return good(messages.SHORTED.format(qty=task.picked_qty + found, wanted=task.data["qty"],
                                            sku=task.data["sku"]))

    def alternative(self, sku: str) -> str:
        """Say where else the edge found the shorted sku, once the short pick has reached it (once only)."""
        op_id, self._op_id = self._op_id, None
        alternative = (self.store.answer(op_id) or {}).get("alternative") if op_id else None
        if not alternative:
            return ""
        return " " + messages.ALTERNATIVE.format(sku=sku, location=alternative["location"], free=alternative["free"])
