"""Command types the centre sends down to one site (`wes/v1/{site}/down/cmd`), v1.

Commands travel in the same batch envelope as events; their `seq` is the per-site `cmd_seq`.
"""
import functools
from marshmallow import RAISE, Schema, ValidationError, fields, validate

CODE = validate.Length(min=1, max=64)
TRACKING_KINDS = ("none", "lot", "serial", "lot_expiry")
"""Senders omit tracking when it is "none", so sites that predate the field keep accepting their items."""


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ItemV1Schema(_Strict):
    sku = fields.String(required=True, validate=CODE)
    description = fields.String(load_default="", validate=validate.Length(max=256))
    gtins = fields.List(fields.String(validate=validate.Regexp(r"^\d{8}$|^\d{12,14}$")), load_default=list)
    tracking = fields.String(load_default="none", validate=validate.OneOf(TRACKING_KINDS), metadata={
        "description": "what a pick of this item must capture from its GS1 label: none, lot, serial, lot_expiry"})


class OrderLineV1Schema(_Strict):
    line_no = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    sku = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    item = fields.Nested(ItemV1Schema, required=True)


class OrderAllocatedV1Schema(_Strict):
    """An order allocated to this site: the site releases it into pick tasks."""

    order_id = fields.String(required=True, validate=CODE)
    customer = fields.String(required=True, validate=validate.Length(min=1, max=128))
    priority = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=9))
    requested_ship_date = fields.String(required=True, validate=validate.Length(min=10, max=10))
    lines = fields.List(fields.Nested(OrderLineV1Schema), required=True, validate=validate.Length(min=1))


class OrderCancelledV1Schema(_Strict):
    order_id = fields.String(required=True, validate=CODE)
    reason = fields.String(load_default="", validate=validate.Length(max=256))


EXPIRY = validate.Regexp(r"^(\d{6})?$", error="expiry is GS1 AI 17 as printed: YYMMDD")


class AsnLineV1Schema(_Strict):
    line_no = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    sku = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1_000_000))
    lot = fields.String(load_default="", validate=validate.Length(max=20), metadata={"description": "GS1 AI 10"})
    expiry = fields.String(load_default="", validate=EXPIRY, metadata={"description": "GS1 AI 17, YYMMDD"})
    sscc = fields.String(load_default="", validate=validate.Regexp(r"^(\d{18})?$"), metadata={
        "description": "the inbound pallet this line arrives on; scanning it receives every line on it"})
    item = fields.Nested(ItemV1Schema, required=True)


class AsnCreatedV1Schema(_Strict):
    """An advance shipping notice: goods a supplier has sent to this site, to receive against."""

    asn_id = fields.String(required=True, validate=CODE)
    supplier = fields.String(required=True, validate=validate.Length(min=1, max=128))
    over_tolerance_pct = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=100),
                                        metadata={"description": "over-receipt accepted without a reason, in %"})
    lines = fields.List(fields.Nested(AsnLineV1Schema), required=True, validate=validate.Length(min=1, max=500))


class RmaLineV1Schema(_Strict):
    sku = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1_000_000))
    item = fields.Nested(ItemV1Schema, required=True)


class ReturnExpectedV1Schema(_Strict):
    """A return the customer announced (RMA) for an order this site shipped: the site receives it against it."""

    rma_id = fields.String(required=True, validate=CODE)
    order_id = fields.String(required=True, validate=CODE)
    customer = fields.String(load_default="", validate=validate.Length(max=128))
    reason = fields.String(load_default="", validate=validate.Length(max=256))
    lines = fields.List(fields.Nested(RmaLineV1Schema), required=True, validate=validate.Length(min=1, max=500))


CENTRAL_COMMAND_SCHEMAS: dict[str, type[Schema]] = {
    "order.allocated": OrderAllocatedV1Schema,
    "order.cancelled": OrderCancelledV1Schema,
    "item.upserted": ItemV1Schema,
    "asn.created": AsnCreatedV1Schema,
    "return.expected": ReturnExpectedV1Schema,
}


def load_central_command_data(command_type: str, data: dict) -> dict:
    """Validate one command's data by its type; raise ValueError naming the fault."""
    schema = CENTRAL_COMMAND_SCHEMAS.get(command_type)
    if schema is None:
        raise ValueError(f"unknown command type {command_type!r}")
    try:
        return _loader(schema).load(data)
    except ValidationError as err:
        raise ValueError(f"invalid {command_type} data: {err.messages}") from None


@functools.cache
def _loader(schema: type[Schema]) -> Schema:
    # Building a schema instance costs more than loading with it; instances are safe to reuse.
    return schema()
