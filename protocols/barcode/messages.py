"""Operator-facing scan messages, in one place so every screen and API says the same thing."""

EMPTY_SCAN = "Nothing was scanned. Aim at the barcode and scan again."
UNKNOWN_SYMBOLOGY = "The scanner sent an unknown code type ({symbology}). Scan again or ask the site lead to check the scanner."
BAD_CHECK_DIGIT = "Barcode {value} did not read correctly (check digit). Scan it again."
BAD_GS1 = "This GS1 barcode could not be read ({detail}). Scan it again or type the item code."
GS1_WITHOUT_DATA = "This barcode is marked GS1 but holds no data. Scan it again."
UNPRINTABLE = "The scan contains characters that are not on any label. Scan again."
TOO_LONG = "The scan is too long ({length} characters) to be a label. Scan one barcode at a time."

WRONG_LOCATION = "Wrong location: go to {expected} and scan its label (you scanned {scanned})."
WRONG_ITEM = "Wrong item: pick {expected} (you scanned {scanned})."
EXPECTED_LOCATION_NOT_ITEM = "Scan the location label {expected} first, then the item."
EXPECTED_ITEM_NOT_LOCATION = "That is a location label. Scan the item {expected}."
BADGE_NOT_EXPECTED = "That is a badge. Scan the {expected}."
LOT_REQUIRED = "This item needs its lot: scan the GS1 barcode that shows the lot (10)."


def render(template: str, **values: object) -> str:
    """Fill a catalogue template with the scan's values."""
    return template.format(**values)
