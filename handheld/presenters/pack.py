"""Pack and ship: choose a picked order, scan items into a carton and close it; scan the dock door and cartons, ship.

Both the carton and the shipment are queued like picks, so they survive a dropped Wi-Fi.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

from protocols.barcode import SSCC, BarcodeError, Scan, classify

from . import messages
from .feedback import Feedback, bad, good, info
from .ports import Outcome, RunInBackground, Sync

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import LocalStore

DOCK_PREFIX = "DOCK-"
CARTON_ID = re.compile(r"^[A-Z0-9]+-C\d{6}$")  # as the edge numbers cartons: DC01-C000001


@dataclass(frozen=True)
class PackLine:
    """One sku scanned into the open carton, with the barcodes as scanned and how many of each."""

    sku: str
    scans: tuple[tuple[str, int], ...]

    @property
    def qty(self) -> int:
        return sum(qty for _, qty in self.scans)


@dataclass(frozen=True)
class PackViewState:
    """What the pack screen shows."""

    orders: tuple[str, ...] = ()
    order_id: str = ""
    prompt: str = messages.PACK_PROMPT
    feedback: Feedback = field(default_factory=Feedback)
    carton: tuple[PackLine, ...] = ()
    dock_door: str = ""
    loaded: tuple[str, ...] = ()
    # sku -> (quantity still to pack, barcodes it accepts); None while the order's picks are not known
    left: dict[str, tuple[int, tuple[str, ...]]] | None = None

    @property
    def carton_text(self) -> str:
        return ", ".join(f"{line.qty} × {line.sku}" for line in self.carton)

    @property
    def loading_text(self) -> str:
        return messages.LOADING_LIST.format(dock=self.dock_door or "?", cartons=", ".join(self.loaded) or "none")


class PackPresenter:
    """List orders ready to pack (needs the edge), fill cartons by scanning, load them at a dock door."""

    def __init__(self, store: LocalStore, client, sync: Sync, run_in_background: RunInBackground,
                 render: Callable[[PackViewState], None], now: Callable[[], str]):
        self.store, self.client, self.sync, self.bg, self.render, self.now = (
            store, client, sync, run_in_background, render, now)
        self.state = PackViewState()
        self._by_tote: dict[str, str] = {}

    def start(self) -> None:
        self.bg(lambda: self.client.orders(["picked", "short"]), self._on_orders)

    def _on_orders(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            return self._show(replace(self.state, feedback=info(messages.PACK_OFFLINE)))
        orders = tuple(o["order_id"] for o in outcome.value)
        self._by_tote = {o["tote"]: o["order_id"] for o in outcome.value if o.get("tote")}  # from batch picking
        self._show(replace(self.state, orders=orders, feedback=info("" if orders else messages.PACK_NONE)))

    def on_scan(self, raw: str) -> None:
        """Route one scan: an order, a dock door label, a carton (id or SSCC) or an item for the carton."""
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self._show(replace(self.state, feedback=bad(str(err))))
        value = scan.value.upper() if scan.kind != SSCC else scan.value
        if not self.state.order_id and value.startswith(DOCK_PREFIX):
            return self._show(replace(self.state, feedback=bad(messages.NO_ORDER)))
        if value in self._by_tote and self._by_tote[value] != self.state.order_id:
            return self.select(self._by_tote[value])  # a tote from a batch: pack the order in it
        if not self.state.order_id or (value in self.state.orders and value != self.state.order_id):
            return self.select(scan.value)
        if value.startswith(DOCK_PREFIX):
            return self._show(replace(self.state, dock_door=value, feedback=good(messages.DOCK_OK.format(dock=value))))
        if scan.kind == SSCC or CARTON_ID.match(value):
            return self._load(value)
        self._add_item(scan)

    def select(self, order_id: str) -> None:
        """Start on an order: an empty carton, nothing loaded; fetch its picks to check scans against."""
        self._show(PackViewState(orders=self.state.orders, order_id=order_id,
                                 prompt=messages.PACK_SELECTED.format(order=order_id), feedback=info("")))
        self.bg(lambda: self.client.order(order_id), lambda outcome: self._on_order(order_id, outcome))

    def _on_order(self, order_id: str, outcome: Outcome) -> None:
        if outcome.error is not None or order_id != self.state.order_id:
            return None  # not known: the edge checks the carton when it arrives
        self._show(replace(self.state, left=left_to_pack(outcome.value)))

    def _add_item(self, scan: Scan) -> None:
        barcode = scan.value
        sku = self._sku_for(scan)
        if sku is None:
            return self._show(replace(self.state, feedback=bad(
                messages.NOT_IN_ORDER.format(barcode=barcode, order=self.state.order_id))))
        in_carton = sum(line.qty for line in self.state.carton if line.sku == sku)
        if self.state.left is not None and in_carton + 1 > self.state.left[sku][0]:
            return self._show(replace(self.state, feedback=bad(
                messages.PACK_TOO_MANY.format(left=self.state.left[sku][0], sku=sku))))
        self._show(replace(self.state, carton=_add(self.state.carton, sku, barcode),
                           feedback=good(messages.PACKED_ITEM.format(qty=in_carton + 1, sku=sku))))

    def _sku_for(self, scan: Scan) -> str | None:
        if self.state.left is None:
            return scan.value  # order not known yet: keep the scan as it is; the edge matches it
        for sku, (qty, barcodes) in self.state.left.items():
            accepted = {b.zfill(14) if b.isdigit() else b.upper() for b in barcodes}
            if qty > 0 and scan.value.upper() in accepted:  # GTINs arrive as 14 digits, whatever the label
                return sku
        return None

    def _load(self, code: str) -> None:
        if code in self.state.loaded:
            return self._show(replace(self.state, feedback=bad(messages.CARTON_TWICE.format(carton=code))))
        loaded = (*self.state.loaded, code)
        self._show(replace(self.state, loaded=loaded, feedback=good(messages.CARTON_LOADED.format(
            carton=code, count=len(loaded)))))

    def on_close_carton(self) -> None:
        """Queue the carton with the items scanned into it; with none scanned, pack all that is left."""
        order = self.state.order_id
        if not order:
            return self._show(replace(self.state, feedback=bad(messages.NO_ORDER)))
        items = [{"barcode": barcode, "qty": qty} for line in self.state.carton for barcode, qty in line.scans]
        self.store.record("carton", f"/api/v1/orders/{order}/cartons", {"items": items} if items else {}, self.now())
        self.sync.nudge()
        left = None if self.state.left is None or not items else {
            sku: (qty - sum(line.qty for line in self.state.carton if line.sku == sku), barcodes)
            for sku, (qty, barcodes) in self.state.left.items()}
        self._show(replace(self.state, carton=(), left=left, feedback=good(messages.CARTON_CLOSED.format(order=order))))

    def on_ship(self) -> None:
        """Queue the shipment with the dock door and the cartons scanned at loading, when scanned."""
        order = self.state.order_id
        if not order:
            return self._show(replace(self.state, feedback=bad(messages.NO_ORDER)))
        if self.state.loaded and not self.state.dock_door:
            return self._show(replace(self.state, feedback=bad(messages.SCAN_DOCK)))
        body = {"dock_door": self.state.dock_door} | ({"cartons": list(self.state.loaded)} if self.state.loaded else {})
        self.store.record("shipment", f"/api/v1/orders/{order}/shipment", body, self.now())
        self.sync.nudge()
        self._show(replace(self.state, loaded=(), feedback=good(messages.SHIPPED.format(order=order))))

    def _show(self, state: PackViewState) -> None:
        self.state = state
        self.render(state)


def left_to_pack(order: dict) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Work out, from the edge's order detail, how many of each sku are picked and in no carton yet."""
    left: dict[str, tuple[int, tuple[str, ...]]] = {}
    for line in order.get("lines", []):
        qty, barcodes = left.get(line["sku"], (0, ()))
        left[line["sku"]] = (qty + line.get("picked_qty", 0), tuple(line.get("barcodes", [line["sku"]])))
    for carton in order.get("cartons", []):
        for line in carton["lines"]:
            qty, barcodes = left.get(line["sku"], (0, (line["sku"],)))  # a carton line is always a picked sku
            left[line["sku"]] = (qty - line["qty"], barcodes)
    return left


def _add(carton: tuple[PackLine, ...], sku: str, barcode: str) -> tuple[PackLine, ...]:
    """Count one more of the sku, under the barcode it was scanned with."""
    for i, line in enumerate(carton):
        if line.sku == sku:
            scans = dict(line.scans)
            scans[barcode] = scans.get(barcode, 0) + 1
            return (*carton[:i], PackLine(sku, tuple(scans.items())), *carton[i + 1:])
    return (*carton, PackLine(sku, ((barcode, 1),)))
