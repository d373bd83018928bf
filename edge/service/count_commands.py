"""Commands of cycle counts and replenishment: the counter's and mover's (with op_id) and the lead's (with actor)."""
from dataclasses import dataclass

from .commands import Command


@dataclass(frozen=True)
class CreateCounts(Command):
    """Schedule count tasks for a list of locations and/or every location of a zone."""

    locations: tuple[str, ...] = ()
    zone: str = ""
    actor: str = ""
    reason: str = ""
    origin: str = "scheduled"


@dataclass(frozen=True)
class TakeNextCount(Command):
    badge: str
    device_id: str


@dataclass(frozen=True)
class SubmitCount(Command):
    """A blind count: the location label scanned, then (barcode, qty) per item scanned, or empty=True."""

    count_id: str
    location_barcode: str
    lines: tuple[tuple[str, int], ...]
    empty: bool
    badge: str
    device_id: str
    op_id: str
    lease_epoch: int | None = None
    counted_at: str = ""


@dataclass(frozen=True)
class DecideCount(Command):
    count_id: str
    approve: bool
    actor: str
    reason: str


@dataclass(frozen=True)
class CancelCount(Command):
    count_id: str
    actor: str
    reason: str


@dataclass(frozen=True)
class SetCountSettings(Command):
    recount_units: int
    recount_pct: float
    approval_units: int
    approval_pct: float
    actor: str = ""
    reason: str = ""


@dataclass(frozen=True)
class SetPickFaces(Command):
    """Set min/max of pick faces: (location, sku, min, max) each."""

    faces: tuple[tuple[str, str, int, int], ...]
    actor: str = ""


@dataclass(frozen=True)
class TakeNextReplenishment(Command):
    badge: str
    device_id: str


@dataclass(frozen=True)
class ConfirmReplenishment(Command):
    replen_id: str
    from_barcode: str
    item_barcode: str
    qty: int
    to_barcode: str
    badge: str
    device_id: str
    op_id: str
    lease_epoch: int | None = None
