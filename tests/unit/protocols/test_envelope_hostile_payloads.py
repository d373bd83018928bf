"""Whatever bytes arrive on a sync topic, decoding gives a message or MessageError, never another exception."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocols.messages.envelope import AckV1Schema, BatchV1Schema, MessageError, StateV1Schema, decode

SCHEMAS = [BatchV1Schema(), AckV1Schema(), StateV1Schema()]


@pytest.mark.parametrize("payload", [
    b"", b"\xff\xfe\x00", b"null", b"[]", b"42", b'"text"', b"{", b'{"v": 1',
    b"[" * 100_000 + b"]" * 100_000, b'{"v": ' + b"{" * 50_000 + b"}" * 50_000 + b"}",
    b'{"v": 1, "site": "DC01", "epoch": 1, "first_seq": 1, "last_seq": 1, "events": "nope"}',
    b'{"v": 99}', b'{"v": 1, "site": "' + b"A" * 1_000_000 + b'"}',
])
@pytest.mark.parametrize("schema", SCHEMAS, ids=["batch", "ack", "state"])
def test_malformed_payloads_raise_message_error(schema, payload):
    with pytest.raises(MessageError):
        decode(schema, payload)


@settings(max_examples=300, deadline=None)
@given(payload=st.one_of(st.binary(max_size=512), st.text(max_size=256).map(str.encode),
                         st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                                      lambda inner: st.lists(inner, max_size=4)
                                      | st.dictionaries(st.text(max_size=8), inner, max_size=4)).map(
                             lambda value: __import__("json").dumps(value).encode())))
def test_any_bytes_decode_or_raise_message_error(payload):
    for schema in SCHEMAS:
        try:
            decode(schema, payload)
        except MessageError:
            pass
