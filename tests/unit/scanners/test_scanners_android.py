"""Android scan intents (DataWedge, Honeywell) become one raw string with its AIM id, then the shared resolver."""
import pytest

from protocols.barcode import BarcodeError, Scan
from protocols.devices.scanners.android import IntentError, intent_extras_to_raw, intent_extras_to_scan

DW = "com.symbol.datawedge."
GS = "\x1d"
MUG = {"01": "05012345678900", "10": "LOT42", "17": "261231"}
ELEMENTS = "010501234567890010LOT42" + GS + "17261231"


def datawedge(data, label_type):
    return {DW + "data_string": data, DW + "label_type": label_type, DW + "source": "scanner"}


def honeywell(data, aim=None):
    extras = {"data": data, "codeId": "I", "charset": "ISO-8859-1"}
    if aim is not None:
        extras["aimId"] = aim
    return extras


@pytest.mark.parametrize("extras, symbology", [
    (datawedge(ELEMENTS, "LABEL-TYPE-EAN128"), "]C1"),
    (datawedge(GS + ELEMENTS, "LABEL-TYPE-EAN128"), "]C1"),
    (datawedge(GS + ELEMENTS, "LABEL-TYPE-CODE128"), "]C1"),         # FNC1 first makes Code 128 GS1-128
    (datawedge(GS + ELEMENTS, "LABEL-TYPE-DATAMATRIX"), "]d2"),
    (datawedge(ELEMENTS, "LABEL-TYPE-GS1-DATAMATRIX"), "]d2"),
    (datawedge(GS + ELEMENTS, "LABEL-TYPE-QRCODE"), "]Q3"),
    (datawedge("]C1" + ELEMENTS, "LABEL-TYPE-EAN128"), "]C1"),       # profile with AIM ids on
    (datawedge(ELEMENTS.replace(GS, "<GS>"), "LABEL-TYPE-EAN128"), "]C1"),
    (datawedge(ELEMENTS, "LABEL-TYPE-UNHEARD-OF"), None),
    ({DW + "decode_data": [ELEMENTS.encode()], DW + "label_type": "LABEL-TYPE-EAN128"}, "]C1"),
    (honeywell(ELEMENTS, "]C1"), "]C1"),
    (honeywell(GS + ELEMENTS, "]d2"), "]d2"),
    (honeywell(ELEMENTS, "]Q3"), "]Q3"),
    (honeywell(ELEMENTS), None),
    ({"dataBytes": [b - 256 if b > 127 else b for b in ELEMENTS.encode()], "aimId": "]C1"}, "]C1"),
])
def test_every_fnc1_variant_resolves_to_the_same_gs1_data(extras, symbology):
    assert intent_extras_to_scan(extras) == Scan("gtin", MUG["01"], MUG, symbology)


def test_raw_string_puts_the_aim_id_first():
    assert intent_extras_to_raw(datawedge("5012345678900", "LABEL-TYPE-EAN13")) == "]E05012345678900"
    assert intent_extras_to_raw(honeywell("LOC-A-01-03", "]C0")) == "]C0LOC-A-01-03"


def test_a_location_label_read_on_android():
    assert intent_extras_to_scan(datawedge("LOC-A-01-03", "LABEL-TYPE-CODE128")) == Scan(
        "location", "LOC-A-01-03", symbology="]C0")


@pytest.mark.parametrize("extras", [{}, {"com.example.other": "x"}, datawedge("", "LABEL-TYPE-EAN128")])
def test_an_intent_without_data_says_so(extras):
    with pytest.raises(IntentError):
        intent_extras_to_scan(extras)


def test_a_bad_check_digit_through_an_intent_is_a_barcode_error():
    with pytest.raises(BarcodeError):
        intent_extras_to_scan(datawedge("5012345678901", "LABEL-TYPE-EAN13"))
