"""Customer returns of shipped orders: announce an RMA to the site that shipped it; list an order's returns."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from central.adapters import return_queries
from central.domain.returns import ReturnRefused
from central.service.returns import AnnounceReturn
from central.web.errors import error_body
from central.web.runtime import read, services

from .orders import known_order
from .schemas import CODE, OrderLineInSchema, StrictSchema

blp = Blueprint("returns", __name__, url_prefix="/api/v1/orders", description="Customer returns (RMAs)")
MESSAGES = {
    "order_not_shipped": "Only a shipped order can be returned; cancel an order that has not shipped instead.",
    "over_return": "Return at most what the order shipped (less what was already returned); see errors.",
    "duplicate_rma": "This RMA number is already used; do not send it again.",
}


class AnnounceReturnSchema(StrictSchema):
    rma_id = fields.String(required=True, validate=CODE, metadata={"description": "the RMA number given to the "
                                                                                   "customer, on the parcel label"})
    reason = fields.String(load_default="", validate=validate.Length(max=256))
    lines = fields.List(fields.Nested(OrderLineInSchema), required=True, validate=validate.Length(min=1, max=500))


class ReturnSchema(Schema):
    return_id = fields.String()
    rma_id = fields.String(metadata={"description": "empty for a return the site took without an RMA"})
    order_id = fields.String()
    site_id = fields.String()
    status = fields.String(metadata={"description": "expected (announced) | received (the site reported it)"})
    reason = fields.String()
    expected = fields.List(fields.Dict(), metadata={"description": "[{sku, qty}] the RMA announced"})
    received = fields.List(fields.Dict(), metadata={
        "description": "the site's lines: sku, qty, lot, expiry, condition (restock|quarantine|scrap), reason"})
    picker = fields.String()
    created_at = fields.String()
    updated_at = fields.String()


class ReturnListSchema(Schema):
    returns = fields.List(fields.Nested(ReturnSchema))


@blp.errorhandler(ReturnRefused)
def return_refused(err: ReturnRefused):
    return error_body(err.status, err.code, MESSAGES.get(err.code, str(err)), err.errors or None), err.status


@blp.route("/<order_id>/returns")
class OrderReturns(MethodView):
    @blp.response(200, ReturnListSchema)
    def get(self, order_id):
        """List the order's returns: RMAs announced and what the site reported back."""
        known_order(order_id)
        return {"returns": read(return_queries.order_returns, order_id)}

    @blp.arguments(AnnounceReturnSchema)
    @blp.response(201, ReturnSchema)
    def post(self, body, order_id):
        """Announce a return (RMA) of a shipped order; return.expected goes down to the site that shipped it."""
        known_order(order_id)
        rma_id = services().bus.handle(AnnounceReturn(order_id, body["rma_id"],
                                                      [(line["sku"], line["qty"]) for line in body["lines"]],
                                                      body["reason"]))
        return next(r for r in read(return_queries.order_returns, order_id) if r["return_id"] == rma_id)
