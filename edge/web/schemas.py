"""Request schemas of the handheld API; unknown fields are refused."""
from marshmallow import RAISE, Schema, fields, post_load, validate

from protocols.status import ORDER_STATUSES

CODE = validate.Length(min=1, max=64)
BARCODE = validate.Length(min=1, max=128)


class StrictInt(fields.Integer):
    """An integer that must be a JSON number without a fraction: no strings, no booleans."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class _Op(_Strict):
    op_id = fields.UUID(required=True, metadata={"description": "UUID made on the device for this action"})

    @post_load
    def text_ids(self, data, **kwargs):
        data["op_id"] = str(data["op_id"])
        if data.get("scanned_at") is not None:
            data["scanned_at"] = data["scanned_at"].isoformat()
        return data


class SignInV1Schema(_Strict):
    badge = fields.String(required=True, validate=CODE)
    pin = fields.String(required=True, validate=validate.Length(min=1, max=32))
    device_id = fields.String(required=True, validate=CODE)


class OpV1Schema(_Op):
    pass


class PackedItemV1Schema(_Strict):
    barcode = fields.String(required=True, validate=BARCODE, metadata={"description": "sku or GTIN as scanned"})
    qty = StrictInt(required=True, validate=validate.Range(min=1, max=100_000))


class CloseCartonV1Schema(_Op):
    items = fields.List(fields.Nested(PackedItemV1Schema), validate=validate.Length(min=1, max=500),
                        metadata={"description": "items scanned into the carton; leave out to pack all left to pack"})


class ShipmentV1Schema(_Op):
    dock_door = fields.String(load_default="", validate=validate.Length(max=64),
                              metadata={"description": "dock door label as scanned, e.g. DOCK-3"})
    cartons = fields.List(fields.String(validate=BARCODE), validate=validate.Length(min=1, max=500),
                          metadata={"description": "carton ids or SSCCs scanned at loading: all the order's cartons"})


LEASE_EPOCH = {"description": "lease_epoch of the task as downloaded; an op under an older lease is refused"}


class LocationScanV1Schema(_Op):
    barcode = fields.String(required=True, validate=BARCODE)
    scanned_at = fields.AwareDateTime(format="iso", metadata={"description": "device clock, ISO-8601 with offset"})
    lease_epoch = StrictInt(validate=validate.Range(min=0), metadata=LEASE_EPOCH)


class PickV1Schema(_Op):
    barcode = fields.String(load_default="", validate=validate.Length(max=128),
                            metadata={"description": "the item as scanned; may be left out only where the site's "
                                                     "verification profile does not ask for the item scan"})
    qty = StrictInt(required=True, validate=validate.Range(min=1, max=100_000))
    scanned_at = fields.AwareDateTime(format="iso")
    lease_epoch = StrictInt(validate=validate.Range(min=0), metadata=LEASE_EPOCH)
    lot = fields.String(load_default="", validate=validate.Length(max=20), metadata={"description": "GS1 AI 10"})
    serial = fields.String(load_default="", validate=validate.Length(max=20), metadata={"description": "GS1 AI 21"})
    expiry = fields.String(load_default="", validate=validate.Regexp(r"^(\d{6})?$"),
                           metadata={"description": "GS1 AI 17, YYMMDD as scanned"})
    qty_confirmed = fields.Boolean(load_default=False, metadata={
        "description": "the picker typed or confirmed the quantity (needed where the profile asks for quantity)"})


class ShortPickV1Schema(_Op):
    qty_found = StrictInt(required=True, validate=validate.Range(min=0, max=100_000))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=64))
    scanned_at = fields.AwareDateTime(format="iso")
    lease_epoch = StrictInt(validate=validate.Range(min=0), metadata=LEASE_EPOCH)


class PostponeV1Schema(_Op):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=64))
    lease_epoch = StrictInt(validate=validate.Range(min=0), metadata=LEASE_EPOCH)


class TasksMineV1Schema(_Strict):
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))  # query text, so not strict


class EnrolmentV1Schema(_Strict):
    enrolment_code = fields.String(required=True, validate=validate.Length(min=4, max=32))
    device_id = fields.String(required=True, validate=CODE)


ONE_STATUS = "(" + "|".join(ORDER_STATUSES) + ")"


class OrderFilterV1Schema(_Strict):
    status = fields.String(
        validate=validate.Regexp(f"^{ONE_STATUS}(,{ONE_STATUS})*$",
                                 error=f"unknown status; use one or more of {', '.join(ORDER_STATUSES)}, "
                                       "separated by commas"),
        metadata={"description": "comma-separated order statuses, e.g. picked,short"})

    @post_load
    def split(self, data, **kwargs):
        return {"statuses": [s for s in data.get("status", "").split(",") if s]}
