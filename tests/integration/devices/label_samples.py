"""The labels every oracle and golden test checks, with the data a scanner must read back."""
from protocols.labels import (Address, CartonContent, ItemLabel, LocationLabel, LogisticLabel, PrinterResolution,
                              build_sscc, item_label, location_label, logistic_label)
from protocols.labels.layout import FOUR_BY_SIX, FOUR_BY_TWO

SSCC = build_sscc(3, "7612345", 1)
GTIN = "07312345678909"
SHIPPING = LogisticLabel(
    SSCC, Address("WES DC01", ("1 Dock Road", "Leeds LS1 1AA")),
    Address("Müller ^ Söhne ~ Lager", ("Hauptstraße 5", "80331 München", "DE")), "SO-1001", "1/2",
    (CartonContent("SKU-BLUE-MUG", 12, GTIN, "LOT42", "261231"),))
LOCATION = LocationLabel("A-01-03", "LOC-A-01-03", "A")
ITEM = ItemLabel("SKU-BLUE-MUG", "Blue mug 300 ml", GTIN, lot="LOT42", expiry="261231", serial="SER1")


def samples(dpi: int):
    """Yield (name, zpl, size, resolution) for each template at one resolution."""
    resolution = PrinterResolution(dpi)
    yield f"logistic_{dpi}", logistic_label(SHIPPING, resolution), FOUR_BY_SIX, resolution
    yield f"location_{dpi}", location_label(LOCATION, resolution), FOUR_BY_TWO, resolution
    yield f"item_{dpi}", item_label(ITEM, resolution), FOUR_BY_TWO, resolution
