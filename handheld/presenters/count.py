"""Guide a blind cycle count: go to the location -> scan its label -> scan each item (or type a count) -> confirm.

The expected quantity is never shown (nor sent to the handheld). A location found empty is confirmed with Empty.
"""
from __future__ import annotations

from dataclasses import replace

from protocols.barcode import BADGE, LOCATION, BarcodeError, classify, matches_location

from .feedback import bad, good, info
from .floor_job import DONE, FloorJobPresenter, JobViewState
from .pick_state import typed_qty

SCAN_LOCATION, COUNT_ITEMS = "scan_location", "count_items"


class CountPresenter(FloorJobPresenter):
    KIND, WHAT, NONE_TEXT = "count", "count", "No counts waiting. Check again later."

    def download(self) -> dict | None:
        return self.client.next_count()

    def begin(self, job: dict) -> None:
        self.lines: dict[tuple[str, str], list] = {}  # (item, lot) -> [barcode as scanned, qty]
        self._last: tuple[str, str] | None = None
        self._location_scan = ""
        self._show(JobViewState(SCAN_LOCATION, f"Go to {job['location']} and scan its label.", job["count_id"],
                                job["location"], refusals=self._refusals()))

    def on_scan(self, raw: str) -> None:
        """Take the location label, then items one scan per unit; a typed number is the count of the last item."""
        if self.job is None or self.state.step not in (SCAN_LOCATION, COUNT_ITEMS):
            return self.feedback(bad("No count in hand. Press Next."))
        typed = typed_qty(raw)
        if self.state.step == COUNT_ITEMS and typed is not None:
            return self._set_last(typed)
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self.feedback(bad(str(err)))
        here = matches_location(scan, self.job["location"], self.job["location_barcode"])
        if self.state.step == SCAN_LOCATION:
            if not here:
                return self.feedback(bad(f"Wrong location: you scanned {scan.value}. Go to {self.job['location']}."))
            self._location_scan = raw.strip()
            return self._show(replace(self.state, step=COUNT_ITEMS, feedback=good(f"At {self.job['location']}."),
                                      prompt="Scan every item here (or scan one and type the count). "
                                             "Confirm when done, or press Empty."))
        if scan.kind == BADGE or scan.kind == LOCATION and not here:
            return self.feedback(bad(f"Count only {self.job['location']}: scan the items there."))
        if scan.kind == LOCATION:
            return self.feedback(info(f"You are at {self.job['location']}. Scan the items."))
        key = (scan.value, scan.lot or "")
        self.lines.setdefault(key, [raw.strip(), 0])[1] += 1
        self._last = key
        self._show_lines(good(f"{self._label(key)}: {self.lines[key][1]}"))

    def _set_last(self, qty: int) -> None:
        if self._last is None:
            return self.feedback(bad("Scan the item first, then type how many there are."))
        self.lines[self._last][1] = qty
        self._show_lines(good(f"{self._label(self._last)}: {qty}"))

    def on_confirm(self) -> None:
        """Queue the count of everything scanned."""
        counted = [{"barcode": barcode, "qty": qty} for barcode, qty in self.lines.values() if qty] \
            if self.state.step == COUNT_ITEMS else []
        if not counted:
            return self.feedback(bad("Scan the location label and the items first, or press Empty."))
        self.queue(self._path(), {"location_barcode": self._location_scan, "lines": counted, "empty": False,
                                  "scanned_at": self.now()}, f"Count of {self.job['location']}")

    def on_empty(self) -> None:
        """Queue the count of a location found empty."""
        if self.state.step != COUNT_ITEMS or any(qty for _, qty in self.lines.values()):
            return self.feedback(bad("Scan the location label first; Empty is only for a location with nothing."))
        self.queue(self._path(), {"location_barcode": self._location_scan, "lines": [], "empty": True,
                                  "scanned_at": self.now()}, f"Empty {self.job['location']}")

    def _path(self) -> str:
        return f"/api/v1/counts/{self.job['count_id']}/submit"

    def _show_lines(self, feedback) -> None:
        detail = "\n".join(f"{self._label(key)}: {qty}" for key, (_, qty) in self.lines.items())
        self._show(replace(self.state, detail=detail, feedback=feedback))

    @staticmethod
    def _label(key: tuple[str, str]) -> str:
        return f"{key[0]} lot {key[1]}" if key[1] else key[0]


__all__ = ["COUNT_ITEMS", "DONE", "SCAN_LOCATION", "CountPresenter"]
