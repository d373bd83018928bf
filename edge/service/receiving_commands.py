"""Commands of receiving and putaway; handheld commands carry the device's op_id for idempotency."""
from dataclasses import dataclass, field

from .commands import Command


@dataclass(frozen=True)
class RegisterAsn(Command):
    """Take an advance shipping notice from the centre (command asn.created) as an open receipt."""

    asn_id: str
    supplier: str
    lines: list[dict] = field(default_factory=list)
    over_tolerance_pct: int = 0


@dataclass(frozen=True)
class StartBlindReceipt(Command):
    """Open a receipt with no ASN; the device names it so it can be worked offline."""

    receipt_id: str
    supplier: str
    badge: str
    device_id: str
    op_id: str


@dataclass(frozen=True)
class ReceivePallet(Command):
    """Receive a whole inbound pallet, as listed on the ASN, by its SSCC."""

    receipt_id: str
    sscc: str
    badge: str
    device_id: str
    op_id: str
    scanned_at: str = ""


@dataclass(frozen=True)
class ReceiveItems(Command):
    """Count items in; barcode is the raw scan (sku, GTIN or GS1 with lot and expiry)."""

    receipt_id: str
    barcode: str
    qty: int
    badge: str
    device_id: str
    op_id: str
    lot: str = ""
    expiry: str = ""
    condition: str = "ok"
    reason: str = ""
    scanned_at: str = ""


@dataclass(frozen=True)
class CloseReceipt(Command):
    receipt_id: str
    badge: str
    device_id: str
    op_id: str


@dataclass(frozen=True)
class ConfirmPutaway(Command):
    """Put a putaway task's goods at the scanned location; reason when it is not the suggested one."""

    task_id: str
    location_barcode: str
    badge: str
    device_id: str
    op_id: str
    reason: str = ""
    scanned_at: str = ""
