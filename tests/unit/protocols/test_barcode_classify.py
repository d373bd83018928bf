"""The one barcode resolver: AIM prefixes, GS forms, GS1 via biip, GTIN/SSCC check digits, labels."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocols.barcode import BarcodeError, Scan, classify, matches_item, matches_location
from protocols.barcode.gs1 import check_digit

BLUE_MUG_GTIN = "05012345678900"


@pytest.mark.parametrize("raw, expected", [
    ("LOC-A-01-03", Scan("location", "LOC-A-01-03")),
    ("loc-a-01-03\r\n", Scan("location", "LOC-A-01-03")),
    ("BADGE-0001", Scan("badge", "BADGE-0001")),
    ("SKU-BLUE-MUG", Scan("item", "SKU-BLUE-MUG")),
    ("05012345678900", Scan("gtin", BLUE_MUG_GTIN)),
    ("5012345678900", Scan("gtin", BLUE_MUG_GTIN)),
    ("]E05012345678900", Scan("gtin", BLUE_MUG_GTIN, symbology="]E0")),
    ("96385074", Scan("gtin", "00000096385074")),
    ("036000291452", Scan("gtin", "00036000291452")),
    ("376123450000000016", Scan("sscc", "376123450000000016")),
    ("]C100376123450000000016", Scan("sscc", "376123450000000016", {"00": "376123450000000016"}, "]C1")),
    ("00376123450000000016", Scan("sscc", "376123450000000016", {"00": "376123450000000016"})),
    ("]C2LOC-A-01-03", Scan("location", "LOC-A-01-03", symbology="]C2")),
])
def test_classify_resolves_each_kind(raw, expected):
    assert classify(raw) == expected


@pytest.mark.parametrize("raw", [
    "]C1010501234567890010LOT42\x1d17261231",
    "]C1010501234567890010LOT42<GS>17261231",
    "]d2010501234567890010LOT42\x1d17261231",
    "]Q3010501234567890010LOT42\x1d17261231",
    "]C1\x1d010501234567890010LOT42\x1d17261231",
    "010501234567890010LOT42\x1d17261231",
    "(01)05012345678900(10)LOT42(17)261231",
])
def test_every_fnc1_form_gives_the_same_gs1_data(raw):
    scan = classify(raw)
    assert (scan.kind, scan.value, scan.lot, scan.expiry) == ("gtin", BLUE_MUG_GTIN, "LOT42", "261231")


def test_a_configured_gs_substitute_is_honoured():
    scan = classify("]C1010501234567890010LOT42~17261231", gs_substitute="~")
    assert scan.gs1 == {"01": BLUE_MUG_GTIN, "10": "LOT42", "17": "261231"}


def test_serial_is_exposed():
    assert classify("]C101050123456789002112345").serial == "12345"


@pytest.mark.parametrize("raw, words", [
    ("", "Nothing was scanned"),
    ("   \r\n", "Nothing was scanned"),
    ("05012345678901", "check digit"),
    ("]E05012345678901", "check digit"),
    ("]E0ABC", "check digit"),
    ("376123450000000017", "check digit"),
    ("]C1010501234567890117261231", "Expected 0, got 1"),
    ("]C1010501234567890017261399", "could not be read"),
    ("]C1", "holds no data"),
    ("SKU\x07BELL", "characters"),
    ("X" * 600, "too long"),
])
def test_bad_scans_raise_operator_text(raw, words):
    with pytest.raises(BarcodeError, match=words):
        classify(raw)


def test_barcode_error_is_a_value_error():
    assert issubclass(BarcodeError, ValueError)


@pytest.mark.parametrize("raw, barcodes, ok", [
    ("SKU-BLUE-MUG", ["SKU-BLUE-MUG", BLUE_MUG_GTIN], True),
    ("sku-blue-mug", ["SKU-BLUE-MUG"], True),
    ("5012345678900", ["SKU-BLUE-MUG", BLUE_MUG_GTIN], True),
    ("]C1010501234567890010LOT42", ["SKU-BLUE-MUG", "5012345678900"], True),
    ("SKU-KETTLE", ["SKU-BLUE-MUG", BLUE_MUG_GTIN], False),
    ("LOC-A-01-01", ["LOC-A-01-01"], False),
])
def test_matches_item(raw, barcodes, ok):
    assert matches_item(classify(raw), barcodes) is ok


def test_matches_location_accepts_label_or_code():
    assert matches_location(classify("LOC-A-01-01"), "A-01-01", "LOC-A-01-01")
    assert matches_location(classify("a-01-01"), "A-01-01", "LOC-A-01-01")
    assert not matches_location(classify("LOC-A-01-02"), "A-01-01", "LOC-A-01-01")


digits = st.text(alphabet="0123456789", min_size=13, max_size=13)
lots = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=20)
dates = st.dates().map(lambda d: d.strftime("%y%m%d"))


@given(payload=digits, lot=lots, expiry=dates, prefix=st.sampled_from(["]C1", "]d2", "]Q3", ""]),
       gs=st.sampled_from(["\x1d", "<GS>"]))
def test_gs1_round_trip(payload, lot, expiry, prefix, gs):
    gtin = payload + str(check_digit(payload))
    scan = classify(f"{prefix}01{gtin}17{expiry}10{lot}{gs}21SER1")
    assert (scan.value, scan.expiry, scan.lot, scan.serial) == (gtin, expiry, lot, "SER1")


@given(payload=digits, wrong=st.integers(1, 9))
def test_any_wrong_gtin_check_digit_is_refused(payload, wrong):
    bad = payload + str((check_digit(payload) + wrong) % 10)
    with pytest.raises(BarcodeError):
        classify(bad)


@given(st.text(max_size=80))
def test_classify_never_raises_anything_but_barcode_error(raw):
    try:
        scan = classify(raw)
    except BarcodeError as err:
        assert str(err)
    else:
        assert scan.value
