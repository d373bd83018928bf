import pytest

from edge.domain.barcodes import matches_item, matches_location, normalise_gtin


@pytest.mark.parametrize("code, expected", [
    ("5012345678900", "05012345678900"),     # GTIN-13 on the label
    ("05012345678900", "05012345678900"),    # GTIN-14 with the leading zero
    ("012345678905", "00012345678905"),      # UPC-A / GTIN-12
    ("96385074", "00000096385074"),          # GTIN-8
    (" 5012345678900\n", "05012345678900"),  # scanner suffixes
])
def test_normalise_gtin_pads_to_fourteen_digits(code, expected):
    assert normalise_gtin(code) == expected


@pytest.mark.parametrize("code", ["SKU-BLUE-MUG", "50123456789", "501234567890012", "", "５012345678900"])
def test_normalise_gtin_refuses_what_is_not_a_gtin(code):
    assert normalise_gtin(code) is None


def test_item_matches_gtin13_scan_against_stored_gtin14():
    assert matches_item("5012345678900", "SKU-BLUE-MUG", ["05012345678900"])


def test_item_matches_its_sku_in_any_case():
    assert matches_item("sku-blue-mug", "SKU-BLUE-MUG", [])


def test_item_refuses_another_items_gtin():
    assert not matches_item("5012345678917", "SKU-BLUE-MUG", ["05012345678900"])


@pytest.mark.parametrize("scanned", ["LOC-A-01-03", "A-01-03", " loc-a-01-03 "])
def test_location_accepts_label_or_code(scanned):
    assert matches_location(scanned, "A-01-03", "LOC-A-01-03")


def test_location_refuses_a_neighbour():
    assert not matches_location("LOC-A-01-04", "A-01-03", "LOC-A-01-03")
