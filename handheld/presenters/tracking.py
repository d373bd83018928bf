"""What a pick of a tracked item must capture from its GS1 label: lot (AI 10), expiry (AI 17), serial (AI 21)."""
from protocols.barcode import Scan

from . import messages

NEEDS = {"none": (), "lot": ("lot",), "serial": ("serial",), "lot_expiry": ("lot", "expiry")}
NAMES = {"lot": "lot", "expiry": "expiry date", "serial": "serial number"}


def captured(scan: Scan) -> dict[str, str]:
    """Return the lot, serial and expiry the scan carries (only those present)."""
    found = {"lot": scan.lot, "serial": scan.serial, "expiry": scan.expiry}
    return {name: value for name, value in found.items() if value}


def refusal(tracking: str, scan: Scan, held: dict[str, str], also: tuple[str, ...] = ()) -> str | None:
    """Say why this item scan cannot count for a tracked item, or None when it can.

    held is what the first scan of this pick captured: further scans must be the same lot, and a serial
    number identifies one unit, so each serial is its own pick. `also` adds what the verification profile asks for.
    """
    needed = (*NEEDS.get(tracking, ()), *(name for name in also if name not in NEEDS.get(tracking, ())))
    missing = [NAMES[name] for name in needed if not getattr(scan, name)]
    if missing:
        return messages.SCAN_GS1.format(what=" and ".join(missing))
    if held and "serial" in needed:
        return messages.ONE_SERIAL
    if held and any(held.get(name) != getattr(scan, name) for name in needed):
        return messages.OTHER_LOT.format(lot=held.get("lot", ""))
    return None
