"""Advance shipping notices: tell a site what a supplier sent it; see how the site's receipt compared."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from central.adapters import asn_queries
from central.domain.asns import ASN_STATUSES, DuplicateAsn, InvalidAsn
from central.service.asns import CreateAsn, UnknownSite
from central.web.errors import ApiError, error_body
from central.web.runtime import read, services

from .schemas import CODE, StrictSchema

blp = Blueprint("asns", __name__, url_prefix="/api/v1/sites", description="Advance shipping notices (inbound)")
EXPIRY = validate.Regexp(r"^(\d{6})?$", error="expiry is GS1 AI 17 as printed on the label: YYMMDD")


class AsnLineInSchema(StrictSchema):
    sku = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1_000_000))
    lot = fields.String(load_default="", validate=validate.Length(max=20))
    expiry = fields.String(load_default="", validate=EXPIRY, metadata={"description": "YYMMDD"})
    sscc = fields.String(load_default="", validate=validate.Regexp(r"^(\d{18})?$"),
                         metadata={"description": "the 18-digit SSCC of the pallet this line arrives on"})


class CreateAsnSchema(StrictSchema):
    asn_id = fields.String(required=True, validate=CODE, metadata={"description": "the supplier's ASN number"})
    supplier = fields.String(required=True, validate=validate.Length(min=1, max=128))
    over_tolerance_pct = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=100))
    lines = fields.List(fields.Nested(AsnLineInSchema), required=True, validate=validate.Length(min=1, max=500))


class AsnLineSchema(Schema):
    line_no = fields.Integer()
    sku = fields.String()
    qty = fields.Integer()
    lot = fields.String()
    expiry = fields.String()
    sscc = fields.String()
    received_qty = fields.Integer(allow_none=True, metadata={"description": "null until the site reports"})


class AsnSchema(Schema):
    asn_id = fields.String()
    site_id = fields.String()
    supplier = fields.String()
    over_tolerance_pct = fields.Integer()
    status = fields.String(metadata={"description": " | ".join(ASN_STATUSES)})
    created_at = fields.String()
    updated_at = fields.String()
    lines = fields.List(fields.Nested(AsnLineSchema))
    receipt = fields.Dict(allow_none=True, metadata={"description": "the site's receipt.recorded data"})


class AsnListSchema(Schema):
    asns = fields.List(fields.Nested(AsnSchema))


@blp.errorhandler(DuplicateAsn)
def duplicate_asn(err: DuplicateAsn):
    return error_body(409, "duplicate_asn", f"ASN {err.asn_id} was already sent to site {err.site_id}; "
                                            "do not send it again."), 409


@blp.errorhandler(InvalidAsn)
def invalid_asn(err: InvalidAsn):
    return error_body(422, "invalid_asn", "Put each sku and lot on one line with its total quantity.",
                      err.errors), 422


@blp.errorhandler(UnknownSite)
def unknown_site(err: UnknownSite):
    return error_body(404, "unknown_site", f"No site {err.site_id}; register it with POST /api/v1/sites."), 404


def _known_site(site_id: str) -> None:
    if read(lambda conn: conn.execute("SELECT 1 FROM sites WHERE site_id = ?", [site_id]).fetchone()) is None:
        raise UnknownSite(site_id)


@blp.route("/<site_id>/asns")
class Asns(MethodView):
    @blp.response(200, AsnListSchema)
    def get(self, site_id):
        """List the site's ASNs, newest first, with their receipt status."""
        _known_site(site_id)
        return {"asns": read(asn_queries.list_asns, site_id)}

    @blp.arguments(CreateAsnSchema)
    @blp.response(201, AsnSchema)
    def post(self, body, site_id):
        """Create an ASN and send it down to the site (asn.created) to receive against."""
        asn_id = services().bus.handle(CreateAsn(site_id, body["asn_id"], body["supplier"], body["lines"],
                                                 body["over_tolerance_pct"]))
        return read(asn_queries.get_asn, site_id, asn_id)


@blp.route("/<site_id>/asns/<asn_id>")
class AsnById(MethodView):
    @blp.response(200, AsnSchema)
    def get(self, site_id, asn_id):
        """Show one ASN: its lines, what the site received of each, and the site's receipt."""
        asn = read(asn_queries.get_asn, site_id, asn_id)
        if asn is None:
            raise ApiError(404, "unknown_asn", f"No ASN {asn_id} at site {site_id}; "
                                               f"list them with GET /api/v1/sites/{site_id}/asns.")
        return asn
