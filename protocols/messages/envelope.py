"""Batch, acknowledgement and presence envelopes used on every sync topic (v1)."""
import json

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

SITE_ID = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$", error="site id must be a short slug")


class MessageError(ValueError):
    """Raise when a wire payload cannot be decoded or fails validation."""


class EventV1Schema(Schema):
    class Meta:
        unknown = RAISE

    seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    event_id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Length(min=1, max=64))
    occurred_at = fields.String(required=True, validate=validate.Length(min=10, max=40))
    recorded_at = fields.String(required=True, validate=validate.Length(min=10, max=40))
    device_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    op_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    data = fields.Dict(keys=fields.String(), required=True)


class BatchV1Schema(Schema):
    """Many events (or commands) in one MQTT message; seqs are contiguous and ascending."""

    class Meta:
        unknown = RAISE

    v = fields.Integer(required=True, strict=True, validate=validate.Equal(1))
    site = fields.String(required=True, validate=SITE_ID)
    epoch = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    first_seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    last_seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    sent_at = fields.String(required=True)
    events = fields.List(fields.Nested(EventV1Schema), required=True, validate=validate.Length(min=1, max=5000))

    @validates_schema
    def check_seq_range(self, data, **kwargs):
        seqs = [e["seq"] for e in data["events"]]
        if seqs != list(range(data["first_seq"], data["last_seq"] + 1)):
            raise ValidationError("events must carry seqs first_seq..last_seq in order, without gaps")


class AckV1Schema(Schema):
    """Receiver → sender: highest contiguous seq durably stored, or where to resend from."""

    class Meta:
        unknown = RAISE

    v = fields.Integer(required=True, strict=True, validate=validate.Equal(1))
    site = fields.String(required=True, validate=SITE_ID)
    epoch = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    acked_through_seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    resend_from = fields.Integer(load_default=None, allow_none=True, strict=True)
    # set when a resent seq carries another event than the ledger holds: the sender's database was restored
    diverged_from = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1))
    # the receiver's high-water mark when answering the sender's presence: a hint, it acknowledges nothing
    receiver_hwm = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0))


class StateV1Schema(Schema):
    """Retained presence of a site or of the centre (also the MQTT will)."""

    class Meta:
        unknown = RAISE

    v = fields.Integer(required=True, strict=True, validate=validate.Equal(1))
    online = fields.Boolean(required=True)
    epoch = fields.Integer(load_default=None, allow_none=True)
    last_seq = fields.Integer(load_default=None, allow_none=True)
    outbox_depth = fields.Integer(load_default=None, allow_none=True)
    ts = fields.String(load_default=None, allow_none=True)


def encode(schema: Schema, message: dict) -> bytes:
    """Validate a message against its schema and serialise it to compact JSON bytes."""
    errors = schema.validate(json.loads(json.dumps(message)))
    if errors:
        raise MessageError(f"refusing to send invalid message: {errors}")
    return json.dumps(message, separators=(",", ":")).encode()


def decode(schema: Schema, payload: bytes) -> dict:
    """Parse and validate wire bytes; raise MessageError with the reason on any fault."""
    try:
        raw = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise MessageError(f"not JSON: {err}") from None
    except RecursionError:
        raise MessageError("not JSON we accept: nested too deeply") from None
    if not isinstance(raw, dict):
        raise MessageError("payload must be a JSON object")
    if b"\\u0000" in payload:  # no field of ours holds one, and PostgreSQL text cannot store it
        raise MessageError("a field holds a NUL character (\\u0000)")
    try:
        loaded = schema.load(raw)
    except ValidationError as err:
        raise MessageError(f"invalid message: {err.messages}") from None
    if "events" in loaded:
        # keep ids as plain strings on our side of the wire
        for event in loaded["events"]:
            event["event_id"] = str(event["event_id"])
    return loaded
