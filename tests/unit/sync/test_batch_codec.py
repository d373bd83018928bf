"""The fast batch codec gives exactly the schema's answer: same result for good batches, same refusals."""
import copy
import json

import pytest

from protocols.messages.envelope import BatchV1Schema, MessageError, decode
from sync.batch_codec import data_json, decode_batch, encode_batch

ROWS = [(seq, f"0190a1b2-c3d4-7e5f-8a9b-{seq:012x}", "stock.changed", "2026-11-25T07:00:00.000+00:00",
         "2026-11-25T07:00:01.000+00:00", "HH-12" if seq % 2 else None, None,
         json.dumps({"sku": "SKU-BLUE-MUG", "location": "A-01-03", "qty_delta": -seq}))
        for seq in range(11, 14)]


def good_batch() -> dict:
    return json.loads(encode_batch("DC01", 2, ROWS))


def schema_answer(payload: bytes):
    try:
        return decode(BatchV1Schema(), payload)
    except MessageError as err:
        return ("refused", str(err))


def fast_answer(payload: bytes):
    try:
        return decode_batch(payload)
    except MessageError as err:
        return ("refused", str(err))


def test_encoded_rows_load_through_the_schema_unchanged():
    batch = decode(BatchV1Schema(), encode_batch("DC01", 2, ROWS))
    assert (batch["site"], batch["epoch"], batch["first_seq"], batch["last_seq"]) == ("DC01", 2, 11, 13)
    assert [e["data"]["qty_delta"] for e in batch["events"]] == [-11, -12, -13]
    assert [e["device_id"] for e in batch["events"]] == ["HH-12", None, "HH-12"]


def test_a_row_the_schema_would_refuse_is_refused_with_its_reason():
    bad = [ROWS[0][:2] + ("",) + ROWS[0][3:]]
    with pytest.raises(MessageError, match="type"):
        encode_batch("DC01", 1, bad)


MUTATIONS = {
    "unchanged": lambda b: None,
    "optional ids missing": lambda b: [e.pop("device_id") for e in b["events"]],
    "upper-case uuid": lambda b: b["events"][0].update(event_id=b["events"][0]["event_id"].upper()),
    "uuid without dashes": lambda b: b["events"][0].update(event_id=b["events"][0]["event_id"].replace("-", "")),
    "not a uuid": lambda b: b["events"][0].update(event_id="not-a-uuid"),
    "seq as text": lambda b: b["events"][0].update(seq="11"),
    "seq as bool": lambda b: b.update(epoch=True),
    "seq gap": lambda b: b["events"][1].update(seq=20),
    "last_seq off": lambda b: b.update(last_seq=99),
    "unknown batch key": lambda b: b.update(extra=1),
    "unknown event key": lambda b: b["events"][0].update(colour="blue"),
    "missing data": lambda b: b["events"][0].pop("data"),
    "data not an object": lambda b: b["events"][0].update(data=[1]),
    "empty type": lambda b: b["events"][0].update(type=""),
    "long device id": lambda b: b["events"][0].update(device_id="H" * 65),
    "short timestamp": lambda b: b["events"][0].update(occurred_at="2026"),
    "bad site": lambda b: b.update(site="no spaces allowed"),
    "version 2": lambda b: b.update(v=2),
    "no events": lambda b: b.update(events=[]),
    "event not an object": lambda b: b["events"].append(5),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_fast_decode_agrees_with_the_schema(name):
    batch = copy.deepcopy(good_batch())
    MUTATIONS[name](batch)
    payload = json.dumps(batch).encode()
    assert fast_answer(payload) == schema_answer(payload)


@pytest.mark.parametrize("payload", [b"\xff\xfe", b"[1]", b"{", b"null"])
def test_undecodable_payloads_get_the_schema_error(payload):
    assert fast_answer(payload) == schema_answer(payload)
    assert fast_answer(payload)[0] == "refused"


def test_data_json_matches_compact_json_dumps():
    data = {"sku": "SKU-BLUE-MUG", "lines": [{"qty": 2, "lot": "L-1"}], "note": "crème \"brûlée\"", "x": None}
    assert data_json(data) == json.dumps(data, separators=(",", ":"))
