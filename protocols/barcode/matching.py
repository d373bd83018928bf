"""Check a resolved scan against what the task expects (used offline on the handheld)."""
from .gs1 import GTIN_LENGTHS
from .scan import GTIN, LOCATION, Scan


def matches_location(scan: Scan, location: str, barcode: str) -> bool:
    """Accept the location's label or its plain code, ignoring case."""
    return scan.value.upper() in (barcode.upper(), location.upper())


def matches_item(scan: Scan, expected_barcodes: list[str]) -> bool:
    """Accept the sku or any GTIN of the item, whatever GTIN length the label uses."""
    if scan.kind == LOCATION:
        return False
    wanted = {_canonical(b) for b in expected_barcodes}
    return (scan.value.zfill(14) if scan.kind == GTIN else scan.value.upper()) in wanted


def _canonical(code: str) -> str:
    code = code.strip()
    if code.isdigit() and len(code) in GTIN_LENGTHS:
        return code.zfill(14)
    return code.upper()
