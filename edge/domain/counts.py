"""Cycle counts: a blind count of one location, a recount on a large variance, the lead's approval.

The rule against double counting: the expected quantities are snapshot when the edge records the count, and an
approved variance is booked as the difference counted - snapshot. Picks booked between the count and its approval
have already moved the stock themselves, so adding the difference (not setting the counted quantity) counts each
unit once. Picks at a location wait while its count task is handed out (see tasks held in docs).
"""
from dataclasses import dataclass, field

from .errors import DomainError, LeaseLost
from .events import StockChanged

COUNT_OPEN, COUNT_ASSIGNED = "open", "assigned"
COUNT_RECOUNTED = "recounted"          # superseded by its recount task
COUNT_AWAITING_APPROVAL = "awaiting_approval"
COUNT_APPROVED, COUNT_REJECTED = "approved", "rejected"
COUNT_MATCHED = "matched"              # counted as expected: nothing to book
COUNT_CANCELLED = "cancelled"
COUNT_LIVE = (COUNT_OPEN, COUNT_ASSIGNED)
COUNT_FINISHED = (COUNT_RECOUNTED, COUNT_AWAITING_APPROVAL, COUNT_APPROVED, COUNT_REJECTED, COUNT_MATCHED,
                  COUNT_CANCELLED)
ORIGINS = ("scheduled", "short_pick", "anomaly", "recount")


class CountRefused(DomainError):
    code = "count_refused"


class CountNotYours(CountRefused):
    code = "not_your_count"

    def __init__(self, count_id: str):
        super().__init__(f"Count {count_id} is not assigned to you. Press Next count to get your own.")


class CountClosed(CountRefused):
    code = "count_closed"

    def __init__(self, count_id: str, status: str):
        super().__init__(f"Count {count_id} is already {status.replace('_', ' ')}. Press Next count.")


class NotAwaitingApproval(CountRefused):
    code = "not_awaiting_approval"

    def __init__(self, count_id: str, status: str):
        super().__init__(f"Count {count_id} is {status.replace('_', ' ')}, not waiting for approval. "
                         "Reload the page to see what is left.")


class WrongCountLocation(CountRefused):
    code = "wrong_location"

    def __init__(self, scanned: str, location: str):
        super().__init__(f"Wrong location: you scanned {scanned}. Go to {location} and scan its label.")


class EmptyWithLines(CountRefused):
    code = "empty_with_lines"

    def __init__(self):
        super().__init__("You counted items and also pressed Empty. Count again: scan the items, or confirm Empty.")


class CountNeedsLines(CountRefused):
    code = "count_needs_lines"

    def __init__(self):
        super().__init__("Scan and count at least one item, or confirm the location is empty.")


@dataclass(frozen=True)
class Thresholds:
    """A variance is over a threshold when it is more than `units` units or more than `pct` % of what was expected."""

    units: int
    pct: float

    def exceeded_by(self, expected: int, counted: int) -> bool:
        diff = abs(counted - expected)
        if diff == 0:
            return False
        return diff > self.units or expected == 0 or diff * 100 > self.pct * expected


@dataclass(frozen=True)
class CountSettings:
    recount: Thresholds = Thresholds(2, 5.0)
    approval: Thresholds = Thresholds(10, 20.0)


@dataclass(frozen=True)
class CountLine:
    """One sku/lot at the location: what the site expected (snapshot at count time) and what was counted."""

    sku: str
    lot: str
    expected: int
    counted: int

    @property
    def variance(self) -> int:
        return self.counted - self.expected


def compare(expected: dict[tuple[str, str], int], counted: dict[tuple[str, str], int]) -> list[CountLine]:
    """Line up counted against expected per (sku, lot).

    A sku the site keeps without lots at this location (all its expected stock under lot "") is compared without
    lots: the lots scanned are folded into "" so the adjustment lands where picks take stock from.
    """
    lotted = {sku for (sku, lot), qty in expected.items() if lot and qty}
    folded: dict[tuple[str, str], int] = {}
    for (sku, lot), qty in counted.items():
        key = (sku, lot if sku in lotted else "")
        folded[key] = folded.get(key, 0) + qty
    keys = sorted({k for k, qty in expected.items() if qty} | set(folded))
    return [CountLine(sku, lot, expected.get((sku, lot), 0), folded.get((sku, lot), 0)) for sku, lot in keys]


@dataclass
class CountTask:
    count_id: str
    location: str
    origin: str = "scheduled"
    status: str = COUNT_OPEN
    parent_id: str = ""
    excluded_badge: str = ""  # a recount goes to anyone but the first counter
    picker: str | None = None
    device_id: str | None = None
    lease_epoch: int = 0
    counted_by: str = ""
    counted_at: str = ""
    lines: list[CountLine] = field(default_factory=list)
    decided_by: str = ""
    decided_at: str = ""
    decision_reason: str = ""
    created_at: str = ""

    @property
    def variances(self) -> list[CountLine]:
        return [line for line in self.lines if line.variance]

    def hand_to(self, badge: str, device_id: str | None) -> None:
        """Give an open count to a counter (not the one whose count it rechecks); a counter keeps their own."""
        if self.status == COUNT_ASSIGNED and self.picker == badge:
            self.device_id = device_id
            return
        if self.status != COUNT_OPEN or badge == self.excluded_badge:
            raise CountNotYours(self.count_id)
        self.status, self.picker, self.device_id = COUNT_ASSIGNED, badge, device_id
        self.lease_epoch += 1

    def check_counter(self, badge: str, lease_epoch: int | None) -> None:
        if self.status in COUNT_FINISHED:
            raise CountClosed(self.count_id, self.status)
        if lease_epoch is not None and lease_epoch != self.lease_epoch:
            raise LeaseLost(self.count_id)
        if self.status != COUNT_ASSIGNED or self.picker != badge:
            raise CountNotYours(self.count_id)

    def record(self, badge: str, scanned_location: str, location_barcode: str,
               expected: dict[tuple[str, str], int], counted: dict[tuple[str, str], int], empty: bool,
               now: str) -> None:
        """Record a blind count against the snapshot of what the site expected at this moment."""
        if scanned_location.strip().upper() not in (location_barcode.upper(), self.location.upper()):
            raise WrongCountLocation(scanned_location.strip(), self.location)
        if not counted and not empty:
            raise CountNeedsLines()
        if counted and empty:
            raise EmptyWithLines()
        self.lines = compare(expected, {} if empty else counted)
        self.counted_by, self.counted_at = badge, now

    def settle(self, settings: CountSettings, next_count_id: str,
               now: str) -> tuple["CountTask | None", list[StockChanged]]:
        """Decide what the count leads to: a recount task, the lead's approval, or booking at once (the events)."""
        if self.origin != "recount" and any(settings.recount.exceeded_by(l.expected, l.counted) for l in self.lines):
            self.status = COUNT_RECOUNTED
            return CountTask(next_count_id, self.location, "recount", parent_id=self.count_id,
                             excluded_badge=self.counted_by, created_at=now), []
        if not self.variances:
            self.status = COUNT_MATCHED
            return None, []
        if any(settings.approval.exceeded_by(l.expected, l.counted) for l in self.lines):
            self.status = COUNT_AWAITING_APPROVAL
            return None, []
        self.status = COUNT_AWAITING_APPROVAL
        return None, self.decide(True, "system", "under the approval threshold", now)

    def cancel(self, actor: str, reason: str, now: str) -> None:
        """Withdraw a count not yet recorded (its counter walked away): picks at the location are free again."""
        if self.status not in COUNT_LIVE:
            raise CountClosed(self.count_id, self.status)
        self.status, self.decided_by, self.decided_at, self.decision_reason = COUNT_CANCELLED, actor, now, reason

    def decide(self, approve: bool, actor: str, reason: str, now: str) -> list[StockChanged]:
        """Approve (book each variance as a count adjustment) or reject (book nothing) a counted variance."""
        if self.status != COUNT_AWAITING_APPROVAL:
            raise NotAwaitingApproval(self.count_id, self.status)
        self.status = COUNT_APPROVED if approve else COUNT_REJECTED
        self.decided_by, self.decided_at, self.decision_reason = actor, now, reason
        if not approve:
            return []
        return [StockChanged(self.location, line.sku, line.variance, "count", self.count_id, line.lot)
                for line in self.variances]
