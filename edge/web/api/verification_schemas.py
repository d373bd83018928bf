"""Request schemas of verification profiles, item classes and lot rules; unknown fields are refused."""
from marshmallow import fields, validate

from edge.domain.lots import SUBSTITUTION_RULES
from edge.domain.verification import SCANS

from ..schemas import CODE, _Strict

REASON = validate.Length(max=256)


class ProfileV1Schema(_Strict):
    requires = fields.List(fields.String(validate=validate.OneOf(SCANS)), required=True,
                           validate=validate.Length(max=len(SCANS)),
                           metadata={"description": f"scans a pick needs, any of {', '.join(SCANS)}"})
    reason = fields.String(load_default="", validate=REASON)


class ProfileRemovalV1Schema(_Strict):
    reason = fields.String(load_default="", validate=REASON)


class ItemClassV1Schema(_Strict):
    item_class = fields.String(required=True, validate=validate.Length(max=32),
                               metadata={"description": "the item's class; empty takes it out of its class"})


class LotPolicyV1Schema(_Strict):
    substitution = fields.String(required=True, validate=validate.OneOf(SUBSTITUTION_RULES),
                                 metadata={"description": "none, or same_or_earlier_expiry: another lot at the same "
                                                          "location expiring no later than the allocated one"})
    timezone = fields.String(required=True, validate=validate.Length(min=1, max=64),
                             metadata={"description": "IANA time zone whose calendar day decides expiry"})
    reason = fields.String(load_default="", validate=REASON)


class QuarantineV1Schema(_Strict):
    location = fields.String(required=True, validate=CODE)
    sku = fields.String(required=True, validate=CODE)
    lot = fields.String(required=True, validate=validate.Length(min=1, max=20))
    reason = fields.String(required=True, validate=validate.Length(min=3, max=256))
