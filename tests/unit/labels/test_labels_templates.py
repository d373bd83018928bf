"""Templates refuse what cannot print correctly and emit explicit ZPL headers."""
import pytest

from protocols.labels import (Address, ItemLabel, LabelError, LabelSize, LocationLabel, LogisticLabel,
                              PrinterResolution, build_sscc, item_label, location_label, logistic_label)

SHIP = LogisticLabel(build_sscc(3, "7612345", 1), Address("WES DC01"), Address("Corner Shop"), "SO-1001")


@pytest.mark.parametrize("dpi,width", [(203, "^PW812"), (300, "^PW1219")])
def test_headers_are_explicit_for_each_resolution(dpi, width):
    zpl = logistic_label(SHIP, PrinterResolution(dpi))
    assert zpl.startswith("^XA\n^CI28\n" + width) and zpl.endswith("^XZ\n")


def test_logistic_label_needs_a6_or_larger_stock():
    with pytest.raises(LabelError, match="at least 100 x 148"):
        logistic_label(SHIP, size=LabelSize(101.6, 50.8))


def test_location_barcode_refuses_characters_zpl_would_eat():
    with pytest.raises(LabelError, match="plain barcode"):
        location_label(LocationLabel("A-01-03", "LOC>A~01"))


def test_item_label_needs_a_valid_gtin():
    with pytest.raises(LabelError, match="check digit"):
        item_label(ItemLabel("SKU-BLUE-MUG", "Blue mug", "07312345678900"))


def test_unsupported_resolution_is_refused():
    with pytest.raises(LabelError, match="203, 300 or 600"):
        PrinterResolution(150)
