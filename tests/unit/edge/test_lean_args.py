"""The fast readers of pick and location-scan bodies accept only what the schemas accept, with the same data."""
import pytest
from marshmallow import ValidationError

from edge.web.api.lean_args import read_location_scan, read_pick
from edge.web.schemas import LocationScanV1Schema, PickV1Schema

OP = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
PICKS = [
    {"op_id": OP, "barcode": "05012345000019", "qty": 1},
    {"op_id": OP.upper(), "barcode": "SKU-BLUE-MUG", "qty": 100_000, "lease_epoch": 0},
    {"op_id": "{" + OP + "}", "barcode": "x", "qty": 3, "lot": "L42", "serial": "", "expiry": "261231"},
    {"op_id": OP.replace("-", ""), "barcode": "x", "qty": 2, "scanned_at": "2026-01-05T06:00:00+01:00"},
    {"op_id": OP, "barcode": "x", "qty": 2, "scanned_at": "2026-01-05T06:00:00.123Z", "expiry": ""},
    {"op_id": OP, "barcode": "x", "qty": 2, "scanned_at": "2026-01-05T06:00:00"},  # no offset
    {"op_id": OP, "barcode": "x", "qty": 2, "scanned_at": "yesterday"},
    {"op_id": OP, "barcode": "x", "qty": 2, "scanned_at": None},
    {"op_id": OP, "barcode": "x", "qty": 0},
    {"op_id": OP, "barcode": "x", "qty": 100_001},
    {"op_id": OP, "barcode": "x", "qty": True},
    {"op_id": OP, "barcode": "x", "qty": 1.0},
    {"op_id": OP, "barcode": "x", "qty": "1"},
    {"op_id": OP, "barcode": "", "qty": 1},
    {"op_id": OP, "barcode": "x" * 129, "qty": 1},
    {"op_id": OP, "barcode": 7, "qty": 1},
    {"op_id": "not-a-uuid", "barcode": "x", "qty": 1},
    {"op_id": 12, "barcode": "x", "qty": 1},
    {"barcode": "x", "qty": 1},
    {"op_id": OP, "qty": 1},
    {"op_id": OP, "barcode": "x"},
    {"op_id": OP, "barcode": "x", "qty": 1, "colour": "blue"},
    {"op_id": OP, "barcode": "x", "qty": 1, "lease_epoch": -1},
    {"op_id": OP, "barcode": "x", "qty": 1, "lease_epoch": False},
    {"op_id": OP, "barcode": "x", "qty": 1, "lease_epoch": None},
    {"op_id": OP, "barcode": "x", "qty": 1, "lot": "L" * 21},
    {"op_id": OP, "barcode": "x", "qty": 1, "lot": None},
    {"op_id": OP, "barcode": "x", "qty": 1, "expiry": "2612"},
    {"op_id": OP, "barcode": "x", "qty": 1, "expiry": "261231\n"},
    {"op_id": OP, "barcode": "x", "qty": 1, "qty_confirmed": True},
    {"op_id": OP, "barcode": "x", "qty": 1, "qty_confirmed": "true"},
    {"op_id": OP, "barcode": "x", "qty": 1, "qty_confirmed": None},
    [], "text", None, 5,
]


def expected(schema, body):
    try:
        return schema().load(body)
    except ValidationError:
        return "refused"


@pytest.mark.parametrize("body", PICKS)
def test_a_pick_body_reads_as_the_schema_reads_it_or_is_left_to_the_schema(body):
    fast = read_pick(body)
    assert fast is None or fast == expected(PickV1Schema, body)


@pytest.mark.parametrize("body", [
    {k: v for k, v in pick.items() if k not in ("qty", "lot", "serial", "expiry")} for pick in PICKS
    if isinstance(pick, dict)])
def test_a_location_scan_body_reads_as_the_schema_reads_it_or_is_left_to_the_schema(body):
    fast = read_location_scan(body)
    assert fast is None or fast == expected(LocationScanV1Schema, body)


def test_the_plain_bodies_handhelds_send_take_the_fast_path():
    assert read_pick(PICKS[0]) == {"op_id": OP, "barcode": "05012345000019", "qty": 1, "lot": "", "serial": "",
                                   "expiry": "", "qty_confirmed": False}
    assert read_pick(PICKS[3])["scanned_at"] == "2026-01-05T06:00:00+01:00"
    assert read_location_scan({"op_id": OP, "barcode": "LOC-A-01-03"}) == {"op_id": OP, "barcode": "LOC-A-01-03"}
