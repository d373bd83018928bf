"""Encode GS1 element strings for ZPL: ^BC mode-N data (GS1-128), ^BX data (GS1 DataMatrix) and HRI text.

We compute everything ourselves (subset switching, FNC1 after variable-length AIs, check digits) because a
printer reports no error for bad barcode data: it drops digits or prints nothing.
"""
import re
from dataclasses import dataclass

from biip.gs1_application_identifiers import GS1ApplicationIdentifier

from .check_digits import is_valid_gs1_number
from .errors import LabelError

START_C, START_B, CODE_C, CODE_B, FNC1 = ">;", ">:", ">5", ">6", ">8"
DATAMATRIX_ESCAPE = "_"
MAX_GS1_128_DATA = 48  # GS1 limit for one GS1-128 symbol, AIs included
CHECKED_AIS = {"00", "01", "02", "410", "411", "412", "413", "414", "415"}
# Characters that ZPL would treat as commands or invocation codes inside ^BC / ^BX field data.
ZPL_UNSAFE = re.compile(r"[\^~>\\]")


@dataclass(frozen=True)
class Element:
    """One GS1 element: application identifier and its value, e.g. Element("10", "LOT42")."""

    ai: str
    value: str

    @property
    def separator_required(self) -> bool:
        return _definition(self.ai).separator_required


def validate(elements: list[Element]) -> None:
    """Raise LabelError unless every element matches its AI's format and check digit."""
    if not elements:
        raise LabelError("A GS1 barcode needs at least one element.")
    for element in elements:
        definition = _definition(element.ai)
        if not re.fullmatch(definition.pattern, element.ai + element.value):
            raise LabelError(f"({element.ai}) {element.value!r} does not match the GS1 format for {definition.data_title}.")
        if element.ai in CHECKED_AIS and not is_valid_gs1_number(element.value):
            raise LabelError(f"({element.ai}) {element.value} has a wrong check digit.")
        if ZPL_UNSAFE.search(element.value):
            raise LabelError(f"({element.ai}) {element.value!r} holds ^ ~ > or \\, which ZPL barcodes cannot carry.")


def ordered(elements: list[Element]) -> list[Element]:
    """Put fixed-length elements first so fewer FNC1 separators are needed."""
    return sorted(elements, key=lambda e: e.separator_required)


def element_string(elements: list[Element], separator: str = "\x1d") -> str:
    """Return the element string as a scanner sends it after the AIM prefix (GS between fields)."""
    parts = []
    for index, element in enumerate(elements):
        last = index == len(elements) - 1
        parts.append(element.ai + element.value + ("" if last or not element.separator_required else separator))
    return "".join(parts)


def code128_data(elements: list[Element]) -> str:
    """Return ^BC mode-N field data: start C, FNC1, then subset C pairs with switches to B where needed."""
    validate(elements)
    raw = element_string(elements, separator="\x1d")
    if len(raw.replace("\x1d", "")) > MAX_GS1_128_DATA:
        raise LabelError(f"GS1-128 holds at most {MAX_GS1_128_DATA} characters; split the data over two symbols.")
    return START_C + FNC1 + _subset_switched(raw)


def _subset_switched(raw: str) -> str:
    # Once in subset B we stay there: the offline renderer mis-reads a B->C switch (>5) as FNC4, so a
    # B->C symbol could not be verified. Fixed-length (all-digit) fields go first, so little is lost.
    out, mode, i = [], "C", 0
    while i < len(raw):
        if raw[i] == "\x1d":
            out.append(FNC1)
            i += 1
            continue
        run = _digit_run(raw, i)
        if mode == "C":
            if run >= 2:
                pairs = run - run % 2
                out.append(raw[i:i + pairs])
                i += pairs
            else:  # an unpaired digit or a letter: subset C would silently drop it
                out.append(CODE_B)
                mode = "B"
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _digit_run(raw: str, start: int) -> int:
    end = start
    while end < len(raw) and raw[end].isdigit() and raw[end].isascii():
        end += 1
    return end - start


def code128_codewords(field_data: str) -> int:
    """Count the Code 128 symbol characters of mode-N field data, check character included."""
    count, i = 1, 0
    while i < len(field_data):
        if field_data[i] == ">":
            count, i = count + 1, i + 2
        elif field_data[i].isdigit() and _in_subset_c(field_data, i):
            count, i = count + 1, i + 2
        else:
            count, i = count + 1, i + 1
    return count


def _in_subset_c(field_data: str, index: int) -> bool:
    mode = "C"
    for marker in re.finditer(r">[;:56]", field_data[:index]):
        mode = "C" if marker.group() in (START_C, CODE_C) else "B"
    return mode == "C"


def datamatrix_data(elements: list[Element]) -> str:
    """Return ^BX field data for escape '_': FNC1 first (makes it GS1), FNC1 after variable-length fields."""
    validate(elements)
    for element in elements:
        if DATAMATRIX_ESCAPE in element.value:
            raise LabelError(f"({element.ai}) {element.value!r}: '_' cannot be printed in a GS1 DataMatrix here.")
    return DATAMATRIX_ESCAPE + "1" + element_string(elements, separator=DATAMATRIX_ESCAPE + "1")


def hri(elements: list[Element]) -> str:
    """Return the human-readable interpretation, e.g. '(00) 376123450000000016 (10) LOT42'."""
    return " ".join(f"({e.ai}) {e.value}" for e in elements)


def _definition(ai: str) -> GS1ApplicationIdentifier:
    try:
        definition = GS1ApplicationIdentifier.extract(ai)
    except Exception:  # biip raises its own ParseError for unknown AIs
        definition = None
    if definition is None or definition.ai != ai:
        raise LabelError(f"({ai}) is not a GS1 application identifier we can print.")
    return definition
