"""Request schemas of counts and replenishment; unknown fields are refused."""
from marshmallow import fields, validate, validates_schema, ValidationError

from ..schemas import BARCODE, CODE, LEASE_EPOCH, StrictInt, _Op, _Strict

REASON = validate.Length(min=3, max=256)


class CountedItemV1Schema(_Strict):
    barcode = fields.String(required=True, validate=BARCODE,
                            metadata={"description": "sku, GTIN or GS1 label (the lot is read from AI 10)"})
    qty = StrictInt(required=True, validate=validate.Range(min=0, max=1_000_000))


class SubmitCountV1Schema(_Op):
    location_barcode = fields.String(required=True, validate=BARCODE)
    lines = fields.List(fields.Nested(CountedItemV1Schema), load_default=list, validate=validate.Length(max=500))
    empty = fields.Boolean(load_default=False, metadata={"description": "true: the location was found empty"})
    lease_epoch = StrictInt(validate=validate.Range(min=0), metadata=LEASE_EPOCH)
    scanned_at = fields.AwareDateTime(format="iso", metadata={"description": "device clock when counted"})


class ConfirmReplenishmentV1Schema(_Op):
    from_barcode = fields.String(required=True, validate=BARCODE)
    item_barcode = fields.String(required=True, validate=BARCODE)
    qty = StrictInt(required=True, validate=validate.Range(min=1, max=1_000_000))
    to_barcode = fields.String(required=True, validate=BARCODE)
    lease_epoch = StrictInt(validate=validate.Range(min=0), metadata=LEASE_EPOCH)


class CreateCountsV1Schema(_Strict):
    locations = fields.List(fields.String(validate=CODE), load_default=list, validate=validate.Length(max=500))
    zone = fields.String(load_default="", validate=validate.Length(max=32))
    reason = fields.String(required=True, validate=REASON)

    @validates_schema
    def something(self, data, **kwargs):
        if not data.get("locations") and not data.get("zone"):
            raise ValidationError("give locations or a zone", "locations")


class DecisionV1Schema(_Strict):
    reason = fields.String(required=True, validate=REASON)


class CountSettingsV1Schema(_Strict):
    recount_units = StrictInt(required=True, validate=validate.Range(min=0, max=100_000))
    recount_pct = fields.Float(required=True, validate=validate.Range(min=0, max=100))
    approval_units = StrictInt(required=True, validate=validate.Range(min=0, max=100_000))
    approval_pct = fields.Float(required=True, validate=validate.Range(min=0, max=100))
    reason = fields.String(load_default="", validate=validate.Length(max=256))


class PickFaceV1Schema(_Strict):
    location = fields.String(required=True, validate=CODE)
    sku = fields.String(required=True, validate=CODE)
    min = StrictInt(required=True, validate=validate.Range(min=0, max=1_000_000))
    max = StrictInt(required=True, validate=validate.Range(min=1, max=1_000_000))

    @validates_schema
    def min_below_max(self, data, **kwargs):
        if data.get("min", 0) >= data.get("max", 1):
            raise ValidationError("min must be below max", "min")


class PickFacesV1Schema(_Strict):
    faces = fields.List(fields.Nested(PickFaceV1Schema), required=True, validate=validate.Length(min=1, max=1000))


class CountFilterV1Schema(_Strict):
    status = fields.String(load_default="", validate=validate.Length(max=128),
                           metadata={"description": "comma-separated statuses, e.g. awaiting_approval"})
