"""Decide whether a scanned barcode names a location or an item."""

GTIN_LENGTHS = (8, 12, 13, 14)


def normalise_gtin(code: str) -> str | None:
    """Return the GTIN as 14 digits (GTIN-8/12/13 left-padded with zeros), or None if it is not one."""
    code = code.strip()
    if code.isdigit() and code.isascii() and len(code) in GTIN_LENGTHS:
        return code.zfill(14)
    return None


def matches_location(scanned: str, location: str, barcode: str) -> bool:
    """Accept the location's label barcode or its code, ignoring case and surrounding blanks."""
    value = scanned.strip().upper()
    return value in (barcode.upper(), location.upper())


def matches_item(scanned: str, sku: str, gtins: list[str]) -> bool:
    """Accept the sku itself or any of its GTINs, whatever their length on the label."""
    value = scanned.strip()
    if value.upper() == sku.upper():
        return True
    gtin = normalise_gtin(value)
    return gtin is not None and gtin in {normalise_gtin(g) for g in gtins}
