"""Label templates: GS1 logistic (SSCC) label, location label and item label, for any supported dpi."""
from dataclasses import dataclass, field

from .element_strings import Element, hri, ordered
from .errors import LabelError
from .layout import FOUR_BY_SIX, FOUR_BY_TWO, LabelSize, PrinterResolution
from .zpl import ZplLabel

MAX_CONTENT_LINES = 6


@dataclass(frozen=True)
class Address:
    """A ship-from or ship-to block: name plus up to three address lines."""

    name: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class CartonContent:
    """One line of what a carton holds; gtin/lot/expiry (YYMMDD) feed the content barcode."""

    sku: str
    qty: int
    gtin: str = ""
    lot: str = ""
    expiry: str = ""


@dataclass(frozen=True)
class LogisticLabel:
    """A GS1 logistic label for one carton, identified by its SSCC."""

    sscc: str
    ship_from: Address
    ship_to: Address
    order_id: str
    carton_no: str = ""
    contents: tuple[CartonContent, ...] = field(default_factory=tuple)

    def content_elements(self) -> list[Element]:
        """Return (02)(37)(17)(10) when the carton holds one GTIN, else nothing (GS1 logistic label rule)."""
        if len(self.contents) != 1 or not self.contents[0].gtin:
            return []
        line = self.contents[0]
        elements = [Element("02", line.gtin), Element("37", str(line.qty))]
        if line.expiry:
            elements.append(Element("17", line.expiry))
        if line.lot:
            elements.append(Element("10", line.lot))
        return ordered(elements)


@dataclass(frozen=True)
class LocationLabel:
    """A rack location label: big location code and its scannable barcode."""

    location: str
    barcode: str
    zone: str = ""


@dataclass(frozen=True)
class ItemLabel:
    """An item label: GS1 DataMatrix with GTIN and optional expiry, lot and serial."""

    sku: str
    description: str
    gtin: str
    lot: str = ""
    expiry: str = ""
    serial: str = ""

    def elements(self) -> list[Element]:
        """Return the element strings the DataMatrix carries."""
        optional = [("17", self.expiry), ("10", self.lot), ("21", self.serial)]
        return ordered([Element("01", self.gtin)] + [Element(ai, v) for ai, v in optional if v])


def logistic_label(label: LogisticLabel, resolution: PrinterResolution = PrinterResolution(),
                   size: LabelSize = FOUR_BY_SIX) -> str:
    """Return ZPL for a GS1 logistic label: from/to on top, contents in the middle, SSCC lowest."""
    size.require_at_least(100, 148, "GS1 logistic label")
    sscc = [Element("00", label.sscc)]
    zpl = ZplLabel(size, resolution)
    zpl.text(4, 4, "FROM", 2.5).text(4, 8, label.ship_from.name, 3.5, 24)
    for row, text in enumerate(label.ship_from.lines[:3]):
        zpl.text(4, 13 + 4.5 * row, text, 3, 26)
    zpl.text(52, 4, "TO", 2.5).text(52, 8, label.ship_to.name, 4, 20)
    for row, text in enumerate(label.ship_to.lines[:3]):
        zpl.text(52, 13.5 + 5 * row, text, 3.5, 22)
    zpl.line(30)
    zpl.text(4, 33, f"ORDER {label.order_id}", 4.5, 20)
    if label.carton_no:
        zpl.text(62, 33, f"CARTON {label.carton_no}", 4.5, 14)
    shown = label.contents[:MAX_CONTENT_LINES]
    for row, line in enumerate(shown):
        lot = f"  LOT {line.lot}" if line.lot else ""
        zpl.text(4, 41 + 4.5 * row, f"{line.qty} x {line.sku}{lot}", 3.2, 44)
    if len(label.contents) > len(shown):
        zpl.text(4, 41 + 4.5 * len(shown), f"+ {len(label.contents) - len(shown)} more lines", 3.2)
    zpl.line(70)
    content = label.content_elements()
    if content:
        zpl.text(4, 73, hri(content), 3, 60)
        zpl.gs1_128(78, content, 18, module_mm=0.375)
    zpl.line(size.height_mm - 50)
    zpl.text(4, size.height_mm - 47, "SSCC", 3)
    zpl.text(20, size.height_mm - 48, hri(sscc), 5)
    zpl.gs1_128(size.height_mm - 40, sscc, 32, module_mm=0.5, min_module_mm=0.495)
    return zpl.render()


def location_label(label: LocationLabel, resolution: PrinterResolution = PrinterResolution(),
                   size: LabelSize = FOUR_BY_TWO) -> str:
    """Return ZPL for a location label: the code large, the zone, the barcode below."""
    size.require_at_least(60, 40, "location label")
    zpl = ZplLabel(size, resolution)
    zpl.text(4, 3, label.location, 10, 14)
    if label.zone:
        zpl.text(size.width_mm - 28, 4, f"ZONE {label.zone}", 4, 8)
    zpl.code128(17, label.barcode, size.height_mm - 24, module_mm=0.375)
    zpl.text(4, size.height_mm - 5.5, label.barcode, 3)
    return zpl.render()


def item_label(label: ItemLabel, resolution: PrinterResolution = PrinterResolution(),
               size: LabelSize = FOUR_BY_TWO) -> str:
    """Return ZPL for an item label: GS1 DataMatrix on the left, SKU, description and HRI on the right."""
    size.require_at_least(80, 40, "item label")
    elements = label.elements()
    if not label.gtin:
        raise LabelError(f"Item {label.sku} has no GTIN: an item label needs one.")
    zpl = ZplLabel(size, resolution)
    zpl.gs1_datamatrix(4, 6, elements, module_mm=0.75)
    zpl.text(40, 4, label.sku, 5, 20)
    zpl.text(40, 11, label.description, 3, 30)
    for row, element in enumerate(elements):
        zpl.text(40, 17 + 4.5 * row, hri([element]), 3.2, 32)
    return zpl.render()
