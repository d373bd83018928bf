"""Lots and expiry at picking: FEFO order, what counts as expired, and which lot a pick may take.

Expiry is GS1 AI 17 as printed (YYMMDD; day 00 means the last day of the month). Stock is good up to and
including its expiry day and expired from the day after, judged by the site's own calendar day.

A pick takes the lot it was allocated. When the site allows substitution (policy "same_or_earlier_expiry"),
the picker may take another lot of the same item at the same location instead, provided it is not expired,
the location holds enough of it, and it expires no later than the allocated lot: a substitute never leaves
an earlier-expiring lot behind, so FEFO holds.
"""
from dataclasses import dataclass

# Expiry is read once, in protocols, for the handheld and the edge alike; re-exported for the edge's callers.
from protocols.barcode.expiry import NO_EXPIRY, expiry_date, is_expired  # noqa: F401

from .errors import DomainError
from .release import StockSlot, fefo_key

NO_SUBSTITUTION, SAME_OR_EARLIER_EXPIRY = "none", "same_or_earlier_expiry"
SUBSTITUTION_RULES = (NO_SUBSTITUTION, SAME_OR_EARLIER_EXPIRY)


def allocatable(slots: list[StockSlot], today: str) -> list[StockSlot]:
    """Keep the slots whose stock may be picked today (not expired), in FEFO order."""
    return sorted((s for s in slots if not (s.expiry and is_expired(s.expiry, today))), key=fefo_key)


@dataclass(frozen=True)
class LotPolicy:
    """The site's lot rules: may a picker take another lot than allocated, and the calendar the site lives in."""

    substitution: str = NO_SUBSTITUTION
    timezone: str = "UTC"


@dataclass(frozen=True)
class LotAtLocation:
    """One lot of the task's item at the task's location: its expiry (from the lot register) and what is there."""

    lot: str
    expiry: str
    on_hand: int


class WrongLot(DomainError):
    code = "wrong_lot"

    def __init__(self, scanned: str, lot: str, expiry: str, location: str, why: str = ""):
        super().__init__(f"Wrong lot: you scanned lot {scanned}{why}. Pick lot {lot}"
                         f"{f' (expires {expiry_date(expiry)})' if expiry else ''} from {location}.")
        self.scanned, self.expected = scanned, lot


class LotExpired(DomainError):
    code = "lot_expired"

    def __init__(self, sku: str, lot: str, expiry: str, location: str):
        what = f"lot {lot} of {sku}" if lot else sku
        super().__init__(f"Expired: {what} at {location} expired {expiry_date(expiry) or expiry}. Do not pick it: "
                         "put it aside and tell your site lead, then report a short pick if nothing else is there.")


class LabelExpiryMismatch(DomainError):
    code = "lot_expiry_mismatch"

    def __init__(self, lot: str, recorded: str, scanned: str):
        super().__init__(f"Lot {lot} is recorded with expiry {expiry_date(recorded)}, the label says "
                         f"{expiry_date(scanned) or scanned}. Set the item aside and tell your site lead.")


def lot_to_take(sku: str, location: str, allocated: LotAtLocation, scanned_lot: str, scanned_expiry: str,
                found: LotAtLocation | None, policy: LotPolicy, today: str) -> LotAtLocation:
    """Decide which lot's stock a pick takes, or refuse: expired stock is never taken (see the module rules)."""
    if scanned_expiry and is_expired(scanned_expiry, today):
        raise LotExpired(sku, scanned_lot, scanned_expiry, location)
    if not allocated.lot or not scanned_lot or scanned_lot == allocated.lot:
        # Stock booked without a lot (or a pick that did not scan one) takes what was allocated.
        if allocated.lot and scanned_lot and scanned_expiry and allocated.expiry \
                and scanned_expiry != allocated.expiry:
            raise LabelExpiryMismatch(allocated.lot, allocated.expiry, scanned_expiry)
        if allocated.expiry and is_expired(allocated.expiry, today):
            raise LotExpired(sku, allocated.lot, allocated.expiry, location)
        return allocated
    if policy.substitution != SAME_OR_EARLIER_EXPIRY:
        raise WrongLot(scanned_lot, allocated.lot, allocated.expiry, location)
    if found is None or found.on_hand <= 0:
        raise WrongLot(scanned_lot, allocated.lot, allocated.expiry, location, f", which is not recorded at {location}")
    expiry = found.expiry or scanned_expiry
    if found.expiry and scanned_expiry and scanned_expiry != found.expiry:
        raise LabelExpiryMismatch(found.lot, found.expiry, scanned_expiry)
    if expiry and is_expired(expiry, today):
        raise LotExpired(sku, found.lot, expiry, location)
    if (expiry_date(expiry) or NO_EXPIRY) > (expiry_date(allocated.expiry) or NO_EXPIRY):
        later = f"expires later ({expiry_date(expiry)})" if expiry else "has no expiry on record"
        raise WrongLot(scanned_lot, allocated.lot, allocated.expiry, location,
                       f", which {later}: first expiry goes first")
    return LotAtLocation(found.lot, expiry, found.on_hand)


class BadExpiry(DomainError):
    code = "bad_expiry"

    def __init__(self, expiry: str):
        super().__init__(f"The expiry date {expiry} on the label is not a date. Scan the label again; "
                         "if it is misprinted, set the item aside and tell your site lead.")


class BadTimezone(DomainError):
    code = "bad_lot_policy"

    def __init__(self, timezone: str):
        super().__init__(f"Unknown time zone {timezone}: use a name such as Europe/Berlin or UTC.")


def substitutes(allocated: LotAtLocation, held: list[LotAtLocation], policy: LotPolicy, today: str) -> list[dict]:
    """List the lots a picker may take instead of the allocated one under the policy (for the handheld, offline)."""
    if policy.substitution != SAME_OR_EARLIER_EXPIRY or not allocated.lot:
        return []
    limit = expiry_date(allocated.expiry) or NO_EXPIRY
    return [{"lot": h.lot, "expiry": h.expiry} for h in held
            if h.lot != allocated.lot and not (h.expiry and is_expired(h.expiry, today))
            and (expiry_date(h.expiry) or NO_EXPIRY) <= limit]
