"""Replenishment: keep each pick face between its min and max by moving stock from reserve, before the picks."""
from dataclasses import dataclass

from .barcodes import matches_item, matches_location
from .catalogue import Item
from .errors import DomainError, LeaseLost
from .events import StockChanged

REPLEN_OPEN, REPLEN_ASSIGNED, REPLEN_DONE, REPLEN_CANCELLED = "open", "assigned", "done", "cancelled"
REPLEN_LIVE = (REPLEN_OPEN, REPLEN_ASSIGNED)
NO_EXPIRY = "999999"  # sorts after every YYMMDD: stock without a date goes last under FEFO


class ReplenishmentRefused(DomainError):
    code = "replenishment_refused"


class BadMinMax(ReplenishmentRefused):
    code = "bad_min_max"

    def __init__(self, low: int, high: int):
        super().__init__(f"Min {low} and max {high} do not fit: use 0 <= min < max.")


class ReplenishmentNotYours(ReplenishmentRefused):
    code = "not_your_replenishment"

    def __init__(self, replen_id: str):
        super().__init__(f"Replenishment {replen_id} is not assigned to you. Press Next to get your own.")


class ReplenishmentClosed(ReplenishmentRefused):
    code = "replenishment_closed"

    def __init__(self, replen_id: str, status: str):
        super().__init__(f"Replenishment {replen_id} is already {status}. Press Next.")


class WrongMoveScan(ReplenishmentRefused):
    """A wrong location or item on a move: refused, not counted as a picker's wrong scan (nothing is stored)."""

    def __init__(self, code: str, scanned: str, expected: str, what: str):
        super().__init__(f"Wrong {what}: you scanned {scanned}. Scan {expected}.")
        self.code = code


class TooManyToMove(ReplenishmentRefused):
    code = "too_many_to_move"

    def __init__(self, most: int, location: str):
        super().__init__(f"Move at most {most} from {location}: that is what the task asks and the stock allows.")


class WrongLot(ReplenishmentRefused):
    code = "wrong_lot"

    def __init__(self, scanned: str, lot: str):
        super().__init__(f"Wrong lot: you scanned lot {scanned}. Take lot {lot}, it expires first.")


@dataclass(frozen=True)
class PickFace:
    location: str
    sku: str
    min_qty: int
    max_qty: int

    def __post_init__(self):
        if not 0 <= self.min_qty < self.max_qty:
            raise BadMinMax(self.min_qty, self.max_qty)


@dataclass(frozen=True)
class ReserveStock:
    """Stock of the sku in a reserve location (any location that is not one of its pick faces)."""

    location: str
    lot: str
    qty: int
    expiry: str = ""   # YYMMDD, "" when the site does not know it
    age_rank: int = 0  # lower is older: the order the stock first arrived in


def choose_reserve(reserves: list[ReserveStock]) -> ReserveStock | None:
    """Choose where to take from: first to expire (FEFO), then the oldest stock, then the location code."""
    candidates = [r for r in reserves if r.qty > 0]
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r.expiry or NO_EXPIRY, r.age_rank, r.location, r.lot))


def quantity_wanted(face: PickFace, on_hand: int, short: bool) -> int:
    """Return how many to bring: up to max when below min; after a short, the face counts as empty."""
    if short:
        return face.max_qty
    return face.max_qty - on_hand if on_hand < face.min_qty else 0


@dataclass
class Replenishment:
    replen_id: str
    sku: str
    from_location: str
    lot: str
    to_location: str
    qty: int
    trigger: str = "below_min"  # or "short_pick"
    status: str = REPLEN_OPEN
    picker: str | None = None
    device_id: str | None = None
    lease_epoch: int = 0
    moved_qty: int = 0
    created_at: str = ""
    done_at: str = ""

    def hand_to(self, badge: str, device_id: str | None) -> None:
        if self.status == REPLEN_ASSIGNED and self.picker == badge:
            self.device_id = device_id
            return
        if self.status != REPLEN_OPEN:
            raise ReplenishmentNotYours(self.replen_id)
        self.status, self.picker, self.device_id = REPLEN_ASSIGNED, badge, device_id
        self.lease_epoch += 1

    def confirm(self, badge: str, lease_epoch: int | None, scans: "MoveScans", item: Item, from_barcode: str,
                to_barcode: str, on_hand: int, now: str) -> list[StockChanged]:
        """Move the stock: reserve location, item (and lot), quantity, pick face, each scanned to confirm."""
        if self.status in (REPLEN_DONE, REPLEN_CANCELLED):
            raise ReplenishmentClosed(self.replen_id, self.status)
        if lease_epoch is not None and lease_epoch != self.lease_epoch:
            raise LeaseLost(self.replen_id)
        if self.status != REPLEN_ASSIGNED or self.picker != badge:
            raise ReplenishmentNotYours(self.replen_id)
        if not matches_location(scans.from_location, self.from_location, from_barcode):
            raise WrongMoveScan("wrong_location", scans.from_location.strip(), self.from_location, "location")
        if not matches_item(scans.item, item.sku, item.gtins):
            raise WrongMoveScan("wrong_item", scans.item.strip(), self.sku, "item")
        if self.lot and scans.lot and scans.lot != self.lot:
            raise WrongLot(scans.lot, self.lot)
        most = min(self.qty, on_hand)
        if scans.qty < 1 or scans.qty > most:
            raise TooManyToMove(most, self.from_location)
        if not matches_location(scans.to_location, self.to_location, to_barcode):
            raise WrongMoveScan("wrong_location", scans.to_location.strip(), f"the pick face {self.to_location}",
                                "pick face")
        self.status, self.moved_qty, self.done_at = REPLEN_DONE, scans.qty, now
        return [StockChanged(self.from_location, self.sku, -scans.qty, "replenish", self.replen_id, self.lot),
                StockChanged(self.to_location, self.sku, scans.qty, "replenish", self.replen_id, self.lot)]


@dataclass(frozen=True)
class MoveScans:
    from_location: str
    item: str
    qty: int
    to_location: str
    lot: str = ""
