"""Split the AIM symbology identifier (']C1', ']d2', ']E0', ']Q3' ...) off a raw scan."""
import re

AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
# AIM identifiers whose data is a GS1 element string (FNC1 in first position).
GS1_SYMBOLOGIES = frozenset({"]C1", "]e0", "]d2", "]Q3", "]J1"})
# AIM identifiers of EAN/UPC symbols: the data is a GTIN (UPC-A arrives as 13 digits).
EAN_UPC_SYMBOLOGIES = frozenset({"]E0", "]E3", "]E4", "]X0"})
GS = "\x1d"
GS_TEXT_FORMS = ("<GS>", "<gs>", "{GS}", "\\x1d", "^]")


def split_symbology(raw: str) -> tuple[str | None, str]:
    """Return (AIM identifier or None, the data after it)."""
    if AIM_PREFIX.match(raw):
        return raw[:3], raw[3:]
    return None, raw


def normalise_separators(data: str, substitute: str | None = None) -> str:
    """Turn every textual form of the GS1 group separator into ASCII 29 and drop a leading FNC1."""
    for form in GS_TEXT_FORMS + ((substitute,) if substitute else ()):
        data = data.replace(form, GS)
    return data.lstrip(GS).rstrip(GS)
