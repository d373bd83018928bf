"""Customer returns on the handheld: open a return (announced by the centre or not), count items in, close."""
from flask.views import MethodView
from marshmallow import fields, validate

from edge.adapters import return_queries
from edge.domain.returns import CONDITIONS
from edge.service.return_commands import CloseReturn, ReturnItems, StartReturn
from edge.service.returns import UnknownReturn

from ..schemas import BARCODE, CODE, StrictInt, _Op, _Strict
from . import answer, picker_and_device, read_query, services, signed_in_blueprint

blp = signed_in_blueprint("returns", __name__, "Customer returns against shipped orders")
EXPIRY = validate.Regexp(r"^(\d{6})?$", error="expiry is GS1 AI 17 as printed: YYMMDD")
REASON = validate.Length(max=64)


class ReturnFilterV1Schema(_Strict):
    status = fields.String(validate=validate.OneOf(["open", "closed"]))


class StartReturnV1Schema(_Op):
    return_id = fields.String(required=True, validate=CODE, metadata={"description": "chosen on the device"})
    order_id = fields.String(required=True, validate=CODE, metadata={"description": "from the parcel's label"})


class ReturnItemsV1Schema(_Op):
    barcode = fields.String(required=True, validate=BARCODE,
                            metadata={"description": "the raw scan: sku, GTIN, or GS1 with lot (10) and expiry (17)"})
    qty = StrictInt(required=True, validate=validate.Range(min=1, max=100_000))
    condition = fields.String(required=True, validate=validate.OneOf(CONDITIONS))
    lot = fields.String(load_default="", validate=validate.Length(max=20))
    expiry = fields.String(load_default="", validate=EXPIRY)
    reason = fields.String(load_default="", validate=REASON, metadata={"description": "why (needed to scrap)"})
    location_barcode = fields.String(load_default="", validate=validate.Length(max=128), metadata={
        "description": "restock: the location the goods were put at, scanned (empty: a putaway task waits)"})
    location_reason = fields.String(load_default="", validate=REASON,
                                    metadata={"description": "why not the suggested location (needed then)"})
    scanned_at = fields.AwareDateTime(format="iso")



@blp.route("/returns")
class Returns(MethodView):
    @blp.arguments(ReturnFilterV1Schema, location="query")
    @blp.response(200)
    def get(self, args):
        """List customer returns (announced by the centre, or opened at the desk), open first."""
        return {"returns": read_query(return_queries.returns, args.get("status"))}

    @blp.arguments(StartReturnV1Schema)
    @blp.response(201)
    def post(self, body):
        """Open a return the centre did not announce, against an order this site shipped."""
        return answer(services().bus.handle(StartReturn(body["return_id"], body["order_id"], *picker_and_device(),
                                                        body["op_id"])))


@blp.route("/returns/<return_id>")
class ReturnDetail(MethodView):
    @blp.response(200)
    def get(self, return_id):
        """Show one return: the order's shipped lines with barcodes and restock locations, what came back."""
        found = read_query(return_queries.return_detail, return_id)
        if found is None:
            raise UnknownReturn(return_id)
        return found


@blp.route("/returns/<return_id>/items")
class ReturnItemsView(MethodView):
    @blp.arguments(ReturnItemsV1Schema)
    @blp.response(201)
    def post(self, body, return_id):
        """Count returned items in: restock (to a location), quarantine, or scrap with a reason."""
        return answer(services().bus.handle(ReturnItems(
            return_id, body["barcode"], body["qty"], body["condition"], *picker_and_device(), body["op_id"],
            body["lot"], body["expiry"], body["reason"].strip(), body["location_barcode"].strip(),
            body["location_reason"].strip(), body.get("scanned_at", ""))))


@blp.route("/returns/<return_id>/close")
class CloseReturnView(MethodView):
    @blp.arguments(_Op)
    @blp.response(200)
    def post(self, body, return_id):
        """Close the return; what came back goes up to the centre, differences from the RMA to the site lead."""
        return answer(services().bus.handle(CloseReturn(return_id, *picker_and_device(), body["op_id"])))


@blp.route("/returnable-orders/<order_id>")
class ReturnableOrder(MethodView):
    @blp.response(200)
    def get(self, order_id):
        """Show a shipped order's lines and what already came back, before opening a return against it."""
        return read_query(return_queries.order_to_return, order_id)
