"""Ask for exactly the scans the task's verification profile needs, and check its lot and expiry offline.

The edge sends each task with `requires` (location, item, lot, expiry, serial, quantity: the resolved profile plus
the item's tracking), its allocated `lot` with `lot_expiry`, and `lot_substitutes` (other lots the site allows
instead). The same rules hold on the edge, which checks every pick again when it arrives.
"""
from protocols.barcode import Scan
from protocols.barcode.expiry import expiry_date, is_expired

from . import messages

DEFAULT_REQUIRES = ("location", "item")
TRACED = ("lot", "expiry", "serial")


def requires(data: dict) -> tuple[str, ...]:
    """Return what a pick of this task needs (older edges send nothing: location and item)."""
    return tuple(data.get("requires", DEFAULT_REQUIRES))


def needs_item_scan(data: dict) -> bool:
    """Say whether the picker must scan the item (for itself, or for the lot/expiry/serial on its label)."""
    return any(scan in requires(data) for scan in ("item", *TRACED))


def needs_typed_qty(data: dict) -> bool:
    return "quantity" in requires(data)


def traced_needs(data: dict) -> tuple[str, ...]:
    """Return the label fields (lot, expiry, serial) the profile asks for beyond the item's tracking."""
    return tuple(scan for scan in TRACED if scan in requires(data))


def lot_refusal(data: dict, scan: Scan, today: str) -> str | None:
    """Say why this label's lot may not be picked for the task (wrong lot, expired), or None when it may."""
    if scan.expiry and is_expired(scan.expiry, today):
        return messages.LOT_EXPIRED.format(expiry=expiry_date(scan.expiry) or scan.expiry)
    lot = data.get("lot", "")
    allowed = {lot, *(s["lot"] for s in data.get("lot_substitutes", []))}
    if lot and scan.lot and scan.lot not in allowed:
        expiry = data.get("lot_expiry", "")
        return messages.WRONG_LOT.format(scanned=scan.lot, lot=lot, location=data["location"],
                                         expiry=f" (expires {expiry_date(expiry)})" if expiry else "")
    return None
