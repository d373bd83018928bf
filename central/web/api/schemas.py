"""Request and response schemas of the centre's API; requests refuse unknown fields."""
from marshmallow import RAISE, Schema, fields, validate

from central.domain.orders import CENTRAL_ONLY_STATUSES, MAX_LINES
from protocols.messages.central_commands import TRACKING_KINDS
from protocols.messages.envelope import SITE_ID
from protocols.status import ORDER_STATUSES

CODE = validate.Length(min=1, max=64)
GTIN = validate.Regexp(r"^\d{8}$|^\d{12,14}$", error="A GTIN has 8, 12, 13 or 14 digits.")


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class OrderLineInSchema(StrictSchema):
    sku = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1_000_000))


class CreateOrderSchema(StrictSchema):
    external_ref = fields.String(load_default=None, allow_none=True, validate=CODE)
    customer = fields.String(required=True, validate=validate.Length(min=1, max=128))
    priority = fields.Integer(load_default=5, strict=True, validate=validate.Range(min=1, max=9))
    requested_ship_date = fields.Date(required=True, metadata={"description": "YYYY-MM-DD"})
    lines = fields.List(fields.Nested(OrderLineInSchema), required=True,
                        validate=validate.Length(min=1, max=MAX_LINES))
    allow_split = fields.Boolean(load_default=False, metadata={
        "description": "may be filled by several sites when no single site can (see docs/allocation.md)"})
    hold_reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=256),
                                metadata={"description": "create the order on hold, with this reason"})
    operator = fields.String(load_default="", validate=validate.Length(max=64),
                             metadata={"description": "who asked (or send the X-Operator header)"})


class PageSchema(StrictSchema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    # SQLite integers are 64-bit: a larger offset would fail in the database instead of being refused here.
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**62))


class OrderFilterSchema(PageSchema):
    status = fields.String(validate=validate.OneOf(ORDER_STATUSES + CENTRAL_ONLY_STATUSES))
    site = fields.String(validate=CODE)


class OrderLineSchema(Schema):
    line_no = fields.Integer()
    sku = fields.String()
    qty = fields.Integer()
    picked_qty = fields.Integer()
    short_qty = fields.Integer()


class StatusChangeSchema(Schema):
    status = fields.String()
    at = fields.String()
    source = fields.String(metadata={"description": '"central" or the site id that reported it'})
    note = fields.String()
    actor = fields.String(metadata={"description": "the operator who asked for it (holds, cancels), else empty"})


class OrderSummarySchema(Schema):
    order_id = fields.String()
    external_ref = fields.String(allow_none=True)
    customer = fields.String()
    priority = fields.Integer()
    requested_ship_date = fields.String()
    status = fields.String()
    site_id = fields.String(allow_none=True)
    note = fields.String()
    created_at = fields.String()
    updated_at = fields.String()
    allow_split = fields.Boolean()
    parent_order_id = fields.String(allow_none=True, metadata={"description": "set on a part of a split order"})
    backorder_of = fields.String(allow_none=True, metadata={
        "description": "set on a back-order part: the site order whose short pick it fills"})
    kind = fields.String(metadata={"description": "customer or transfer"})
    ship_to_site = fields.String(allow_none=True, metadata={"description": "a transfer's destination site"})
    transfer_received_at = fields.String(allow_none=True)


class OrderSchema(OrderSummarySchema):
    lines = fields.List(fields.Nested(OrderLineSchema))
    history = fields.List(fields.Nested(StatusChangeSchema))
    parts = fields.List(fields.Nested(OrderSummarySchema), metadata={
        "description": "site orders made from this one: split parts and re-allocated short picks"})
    returns = fields.List(fields.Dict(), metadata={
        "description": "customer returns: RMAs announced (expected) and what the site reported (received); "
                       "the same as GET /api/v1/orders/{order_id}/returns"})


class OrderActionSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=256))
    operator = fields.String(load_default="", validate=validate.Length(max=64), metadata={
        "description": "who asks; or send the X-Operator header (the centre has no login yet). One is required."})


class TransferInSchema(StrictSchema):
    from_site = fields.String(required=True, validate=SITE_ID)
    to_site = fields.String(required=True, validate=SITE_ID)
    requested_ship_date = fields.Date(required=True, metadata={"description": "YYYY-MM-DD"})
    priority = fields.Integer(load_default=5, strict=True, validate=validate.Range(min=1, max=9))
    lines = fields.List(fields.Nested(OrderLineInSchema), required=True,
                        validate=validate.Length(min=1, max=MAX_LINES))
    operator = fields.String(load_default="", validate=validate.Length(max=64))


class TransferReceiptSchema(StrictSchema):
    operator = fields.String(load_default="", validate=validate.Length(max=64))


class SiteInSchema(StrictSchema):
    site_id = fields.String(required=True, validate=SITE_ID)
    name = fields.String(required=True, validate=validate.Length(min=1, max=128))


class SiteSchema(Schema):
    site_id = fields.String()
    name = fields.String()
    online = fields.Boolean()
    last_seen_at = fields.String(allow_none=True)
    last_state = fields.Dict(allow_none=True)


class ItemInSchema(StrictSchema):
    description = fields.String(load_default="", validate=validate.Length(max=256))
    gtins = fields.List(fields.String(validate=GTIN), load_default=list, validate=validate.Length(max=20))
    tracking = fields.String(load_default="none", validate=validate.OneOf(TRACKING_KINDS), metadata={
        "description": "what a pick must scan from the item's GS1 label: none, lot, serial, lot_expiry"})


class ItemSchema(Schema):
    sku = fields.String()
    description = fields.String()
    gtins = fields.List(fields.String())
    tracking = fields.String()


class LocationSchema(Schema):
    location = fields.String()
    barcode = fields.String()
    zone = fields.String()
    pick_seq = fields.Integer()


class StockRowSchema(Schema):
    location = fields.String()
    sku = fields.String()
    lot = fields.String()
    qty = fields.Integer()


class StockSummarySchema(Schema):
    sku = fields.String()
    on_hand = fields.Integer(metadata={"description": "sum over locations other than PACK"})
    in_pack = fields.Integer(metadata={"description": "at the virtual PACK location"})
    outstanding = fields.Integer(metadata={"description": "still to pick on open orders at the site"})
    available = fields.Integer(metadata={"description": "on_hand - outstanding"})


class SiteStockSchema(Schema):
    site_id = fields.String()
    stock = fields.List(fields.Nested(StockRowSchema))
    summary = fields.List(fields.Nested(StockSummarySchema))
