"""Sample labels for print-test and preview, with readable fixture data."""
from protocols.labels import (Address, CartonContent, ItemLabel, LabelSize, LocationLabel, LogisticLabel,
                              PrinterResolution, build_sscc, item_label, location_label, logistic_label)
from protocols.labels.layout import FOUR_BY_SIX, FOUR_BY_TWO

KINDS = ("logistic", "location", "item")
DEFAULT_SIZES = {"logistic": FOUR_BY_SIX, "location": FOUR_BY_TWO, "item": FOUR_BY_TWO}


def sample_label(kind: str, resolution: PrinterResolution, size: LabelSize | None = None) -> tuple[str, LabelSize]:
    """Return (zpl, size) of a test label; the SSCC uses serial 0, which no site range issues."""
    size = size or DEFAULT_SIZES[kind]
    if kind == "logistic":
        label = LogisticLabel(build_sscc(0, "7612345", 0), Address("WES DC01", ("TEST LABEL",)),
                              Address("Müller & Söhne", ("Hauptstraße 5", "80331 München")), "TEST-0001", "1/1",
                              (CartonContent("SKU-BLUE-MUG", 12, "07312345678909", "LOT42", "261231"),))
        return logistic_label(label, resolution, size), size
    if kind == "location":
        return location_label(LocationLabel("A-01-03", "LOC-A-01-03", "A"), resolution, size), size
    item = ItemLabel("SKU-BLUE-MUG", "Blue mug 300 ml", "07312345678909", "LOT42", "261231", "SER1")
    return item_label(item, resolution, size), size
