"""Commands of customer returns; handheld commands carry the device's op_id for idempotency."""
from dataclasses import dataclass, field

from .commands import Command


@dataclass(frozen=True)
class RegisterReturn(Command):
    """Take a return the centre announced (command return.expected, an RMA) as an open return."""

    rma_id: str
    order_id: str
    customer: str = ""
    lines: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class StartReturn(Command):
    """Open a return the centre did not announce, against an order this site shipped; the device names it."""

    return_id: str
    order_id: str
    badge: str
    device_id: str
    op_id: str


@dataclass(frozen=True)
class ReturnItems(Command):
    """Count returned items in with their condition; a restock may name the location the goods went to."""

    return_id: str
    barcode: str
    qty: int
    condition: str
    badge: str
    device_id: str
    op_id: str
    lot: str = ""
    expiry: str = ""
    reason: str = ""
    location_barcode: str = ""
    location_reason: str = ""
    scanned_at: str = ""


@dataclass(frozen=True)
class CloseReturn(Command):
    return_id: str
    badge: str
    device_id: str
    op_id: str
