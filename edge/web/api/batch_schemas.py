"""Request schemas of waves and batch picking; unknown fields are refused."""
from marshmallow import fields, validate

from edge.domain.batching import MAX_CART_SLOTS

from ..schemas import BARCODE, CODE, LEASE_EPOCH, StrictInt, _Op, _Strict


class BatchPickV1Schema(_Op):
    task_id = fields.String(required=True, validate=CODE)
    barcode = fields.String(required=True, validate=BARCODE, metadata={"description": "the item, as scanned"})
    qty = StrictInt(required=True, validate=validate.Range(min=1, max=100_000))
    tote = fields.String(required=True, validate=validate.Length(min=1, max=64),
                         metadata={"description": "the tote the items went into, as scanned (put-to-tote)"})
    scanned_at = fields.AwareDateTime(format="iso")
    lease_epoch = StrictInt(validate=validate.Range(min=0), metadata=LEASE_EPOCH)
    lot = fields.String(load_default="", validate=validate.Length(max=20), metadata={"description": "GS1 AI 10"})
    serial = fields.String(load_default="", validate=validate.Length(max=20), metadata={"description": "GS1 AI 21"})
    expiry = fields.String(load_default="", validate=validate.Regexp(r"^(\d{6})?$"),
                           metadata={"description": "GS1 AI 17, YYMMDD as scanned"})


class CloseBatchV1Schema(_Op):
    pass


class ReleaseWaveV1Schema(_Strict):
    cart_slots = StrictInt(required=True, validate=validate.Range(min=1, max=MAX_CART_SLOTS),
                           metadata={"description": "totes on one cart: the most orders one batch takes"})
    order_ids = fields.List(fields.String(validate=CODE), load_default=list, validate=validate.Length(max=500),
                            metadata={"description": "the orders picked by hand; leave out to release by the rule"})
    ship_by = fields.Date(metadata={"description": "carrier cut-off: orders due to ship on or before this date"})
    max_priority = StrictInt(load_default=9, validate=validate.Range(min=1, max=9))
    max_orders = StrictInt(load_default=0, validate=validate.Range(min=0, max=500))
    reason = fields.String(load_default="", validate=validate.Length(max=256))


class CancelBatchV1Schema(_Strict):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=256))
