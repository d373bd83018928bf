"""Resolve one raw scan into what it names: location, badge, GTIN, SSCC, GS1 data or a plain item code."""
from dataclasses import dataclass

from . import messages
from .errors import BarcodeError
from .gs1 import GTIN_LENGTHS, has_valid_check_digit, parse_element_string
from .symbology import EAN_UPC_SYMBOLOGIES, GS, GS1_SYMBOLOGIES, normalise_separators, split_symbology

LOCATION, BADGE, GTIN, SSCC, GS1, ITEM = "location", "badge", "gtin", "sscc", "gs1", "item"
LOCATION_PREFIX, BADGE_PREFIX = "LOC-", "BADGE-"
MAX_LENGTH = 512
SSCC_LENGTH = 18


@dataclass(frozen=True)
class Scan:
    """A resolved scan. value is canonical: GTINs as 14 digits, labels upper-case."""

    kind: str
    value: str
    gs1: dict[str, str] | None = None
    symbology: str | None = None

    @property
    def lot(self) -> str | None:
        return (self.gs1 or {}).get("10")

    @property
    def expiry(self) -> str | None:
        return (self.gs1 or {}).get("17")

    @property
    def serial(self) -> str | None:
        return (self.gs1 or {}).get("21")


def classify(raw: str, gs_substitute: str | None = None) -> Scan:
    """Resolve a raw scan (AIM prefix, any GS form, trailing CR/LF allowed) or raise BarcodeError."""
    text = raw.strip("\r\n\t ")
    if not text:
        raise BarcodeError(messages.EMPTY_SCAN)
    if len(text) > MAX_LENGTH:
        raise BarcodeError(messages.render(messages.TOO_LONG, length=len(text)))
    symbology, data = split_symbology(text)
    data = normalise_separators(data, gs_substitute)
    if not data and symbology not in GS1_SYMBOLOGIES:
        raise BarcodeError(messages.EMPTY_SCAN)
    if any(ord(c) < 32 and c != GS for c in data):
        raise BarcodeError(messages.UNPRINTABLE)
    if symbology in GS1_SYMBOLOGIES or GS in data or data.startswith("("):
        return _from_element_string(data, symbology)
    if symbology in EAN_UPC_SYMBOLOGIES:
        return _gtin(data, symbology)
    upper = data.upper()
    if upper.startswith(LOCATION_PREFIX):
        return Scan(LOCATION, upper, symbology=symbology)
    if upper.startswith(BADGE_PREFIX):
        return Scan(BADGE, upper, symbology=symbology)
    if data.isdigit() and data.isascii():
        if len(data) in GTIN_LENGTHS:
            return _gtin(data, symbology)
        if len(data) == SSCC_LENGTH:
            return _checked(SSCC, data, symbology)
        if len(data) > 14 and data[:2] in ("00", "01"):  # a GS1-128 read by a wedge that drops the ]C1 prefix
            return _from_element_string(data, None)
    return Scan(ITEM, data, symbology=symbology)


def _from_element_string(data: str, symbology: str | None) -> Scan:
    if data.startswith("("):  # human-readable form "(01)...(10)...": brackets delimit the AIs
        data = _hri_to_element_string(data)
    elements = parse_element_string(data, symbology if symbology in GS1_SYMBOLOGIES else None)
    if "01" in elements:
        return Scan(GTIN, elements["01"], elements, symbology)
    if "00" in elements:
        return Scan(SSCC, elements["00"], elements, symbology)
    return Scan(GS1, data, elements, symbology)


def _hri_to_element_string(data: str) -> str:
    parts = [p for p in data.split("(") if p]
    fields = []
    for part in parts:
        ai, _, value = part.partition(")")
        fields.append(ai + value)
    return GS.join(fields)


def _gtin(data: str, symbology: str | None) -> Scan:
    if not (data.isdigit() and data.isascii() and len(data) in GTIN_LENGTHS):
        raise BarcodeError(messages.render(messages.BAD_CHECK_DIGIT, value=data))
    return _checked(GTIN, data.zfill(14), symbology)


def _checked(kind: str, digits: str, symbology: str | None) -> Scan:
    if not has_valid_check_digit(digits):
        raise BarcodeError(messages.render(messages.BAD_CHECK_DIGIT, value=digits.lstrip("0") or digits))
    return Scan(kind, digits, symbology=symbology)
