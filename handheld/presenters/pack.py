"""Pack and ship, minimal: choose a picked order, close its carton, ship it (both queued like picks)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

from protocols.barcode import BarcodeError, classify

from . import messages
from .feedback import Feedback, bad, good, info
from .ports import Outcome, RunInBackground, Sync

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import LocalStore


@dataclass(frozen=True)
class PackViewState:
    """What the pack screen shows."""

    orders: tuple[str, ...] = ()
    order_id: str = ""
    prompt: str = messages.PACK_PROMPT
    feedback: Feedback = field(default_factory=Feedback)


class PackPresenter:
    """List orders ready to pack (needs the edge), queue carton and shipment confirmations."""

    def __init__(self, store: LocalStore, client, sync: Sync, run_in_background: RunInBackground,
                 render: Callable[[PackViewState], None], now: Callable[[], str]):
        self.store, self.client, self.sync, self.bg, self.render, self.now = (
            store, client, sync, run_in_background, render, now)
        self.state = PackViewState()

    def start(self) -> None:
        self.bg(lambda: self.client.orders(["picked", "short"]), self._on_orders)

    def _on_orders(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            return self._show(replace(self.state, feedback=info(messages.PACK_OFFLINE)))
        orders = tuple(o["order_id"] for o in outcome.value)
        self._show(replace(self.state, orders=orders, feedback=info("" if orders else messages.PACK_NONE)))

    def on_scan(self, raw: str) -> None:
        try:
            self.select(classify(raw).value)
        except BarcodeError as err:
            self._show(replace(self.state, feedback=bad(str(err))))

    def select(self, order_id: str) -> None:
        self._show(replace(self.state, order_id=order_id, prompt=messages.PACK_SELECTED.format(order=order_id),
                           feedback=info("")))

    def on_close_carton(self) -> None:
        self._queue("carton", "cartons", messages.CARTON_CLOSED)

    def on_ship(self) -> None:
        self._queue("shipment", "shipment", messages.SHIPPED)

    def _queue(self, op_type: str, resource: str, done: str) -> None:
        order = self.state.order_id
        if not order:
            return self._show(replace(self.state, feedback=bad(messages.NO_ORDER)))
        self.store.record(op_type, f"/api/v1/orders/{order}/{resource}", {}, self.now())
        self.sync.nudge()
        self._show(replace(self.state, feedback=good(done.format(order=order))))

    def _show(self, state: PackViewState) -> None:
        self.state = state
        self.render(state)
