"""Putaway: move received goods from the receiving dock to a storage location, scanning it to confirm.

The suggestion follows three rules, in order:
1. Zone: the item's zone is the zone of the location holding most of it; an item the site never held may go
   to any zone.
2. FEFO mixing: a location never holds one sku in lots with different expiry dates, so the first to expire is
   always the one picked (lots with the same expiry may share a location).
3. Capacity: a location with a capacity (in units, 0 = no limit) must have room for the whole task.
Among the locations that pass, the one already holding the same sku and expiry comes first (consolidate),
then empty ones, then the rest; ties go to the walk order (pick_seq).
"""
from dataclasses import dataclass

from .catalogue import VIRTUAL_PACK
from .errors import DomainError
from .events import StockChanged
from .receiving import RECEIVING_DOCK

PUTAWAY_OPEN, PUTAWAY_DONE = "open", "done"
PUTAWAY, PUT_BACK = "putaway", "put_back"
"""Kinds of task (and the reason of their stock deltas): goods received or returned, or picked goods going back."""


class UnknownLocationScan(DomainError):
    code = "unknown_location"

    def __init__(self, scanned: str):
        super().__init__(f"{scanned} is not a storage location of this site. Scan the label of a location.")


class OverrideNeedsReason(DomainError):
    code = "override_needs_reason"

    def __init__(self, suggested: str, scanned: str):
        target = f"The suggested location is {suggested}" if suggested else "No location was suggested"
        super().__init__(f"{target}; you scanned {scanned}. Choose a reason to put it there, or go to "
                         f"{suggested or 'a free location'}.")


class ExpiryMix(DomainError):
    code = "expiry_mix"

    def __init__(self, location: str, sku: str, held_expiry: str):
        super().__init__(f"{location} already holds {sku} expiring {held_expiry or 'with no date'}: lots with "
                         "different expiry dates never share a location. Scan another location.")


class LocationFull(DomainError):
    code = "location_full"

    def __init__(self, location: str, free: int, qty: int):
        super().__init__(f"{location} has room for {free}, not {qty}. Scan another location.")


class PutawayDone(DomainError):
    code = "putaway_done"

    def __init__(self, task_id: str, location: str):
        super().__init__(f"Putaway {task_id} was already done (to {location}). Take the next putaway.")


@dataclass(frozen=True)
class Quant:
    sku: str
    lot: str
    expiry: str
    qty: int


@dataclass(frozen=True)
class Slot:
    """A storage location and what it holds now."""

    location: str
    barcode: str
    zone: str
    pick_seq: int
    capacity: int = 0
    held: tuple[Quant, ...] = ()

    @property
    def free(self) -> int | None:
        """Return the units that still fit, or None when the location has no capacity limit."""
        return None if self.capacity <= 0 else self.capacity - sum(q.qty for q in self.held if q.qty > 0)

    def expiry_clash(self, sku: str, expiry: str) -> str | None:
        """Return the expiry already held for this sku that differs from `expiry`, else None."""
        for quant in self.held:
            if quant.sku == sku and quant.qty > 0 and quant.expiry != expiry:
                return quant.expiry
        return None

    def holds(self, sku: str) -> int:
        return sum(q.qty for q in self.held if q.sku == sku and q.qty > 0)

    def refusal(self, sku: str, expiry: str, qty: int) -> DomainError | None:
        """Say why this location cannot take the goods (FEFO mixing, capacity), or None when it can."""
        clash = self.expiry_clash(sku, expiry)
        if clash is not None:
            return ExpiryMix(self.location, sku, clash)
        if self.free is not None and self.free < qty:
            return LocationFull(self.location, max(self.free, 0), qty)
        return None


def item_zone(slots: list[Slot], sku: str) -> str | None:
    """Return the zone of the location holding most of the sku, or None when no location holds it."""
    holding = [slot for slot in slots if slot.holds(sku) > 0]
    if not holding:
        return None
    return max(holding, key=lambda s: (s.holds(sku), -s.pick_seq)).zone


def suggest_location(slots: list[Slot], sku: str, expiry: str, qty: int) -> Slot | None:
    """Choose where the goods should go by zone, FEFO mixing and capacity; None when nowhere fits."""
    zone = item_zone(slots, sku)
    fits = [s for s in slots if (zone is None or s.zone == zone) and s.refusal(sku, expiry, qty) is None]

    def preference(slot: Slot):
        same = any(q.sku == sku and q.expiry == expiry and q.qty > 0 for q in slot.held)
        empty = not any(q.qty > 0 for q in slot.held)
        return (0 if same else 1 if empty else 2, slot.pick_seq, slot.location)

    return min(fits, key=preference) if fits else None


@dataclass
class PutawayTask:
    """Move one line from a virtual location to a storage location: received or returned goods from the
    receiving dock, or (a put-back) goods picked for an order cancelled before it shipped, from the pack area.

    receipt_id names what the goods came from: a receipt, a customer return, or the cancelled order.
    """

    task_id: str
    receipt_id: str
    sku: str
    lot: str
    expiry: str
    qty: int
    suggested: str = ""
    status: str = PUTAWAY_OPEN
    location: str = ""
    override_reason: str = ""
    picker: str = ""
    done_at: str = ""
    from_location: str = RECEIVING_DOCK
    kind: str = PUTAWAY

    def confirm(self, slot: Slot, reason: str, picker: str, now: str) -> list[StockChanged]:
        """Put the goods at the scanned location; another than suggested needs a reason; rules always hold."""
        if self.status == PUTAWAY_DONE:
            raise PutawayDone(self.task_id, self.location)
        if slot.location != self.suggested and not reason:
            raise OverrideNeedsReason(self.suggested, slot.location)
        problem = slot.refusal(self.sku, self.expiry, self.qty)
        if problem is not None:
            raise problem
        self.status, self.location, self.picker, self.done_at = PUTAWAY_DONE, slot.location, picker, now
        self.override_reason = reason if slot.location != self.suggested else ""
        # the pack area holds no lots (picks book PACK with lot ""), so a put-back takes its units from lot ""
        from_lot = "" if self.from_location == VIRTUAL_PACK else self.lot
        return [StockChanged(self.from_location, self.sku, -self.qty, self.kind, self.task_id, from_lot),
                StockChanged(slot.location, self.sku, self.qty, self.kind, self.task_id, self.lot)]
