"""Customer orders: take them, list them, show one; hold, release and cancel them."""
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from central.adapters import queries
from central.service.commands import CancelOrder, CreateOrder, HoldOrder, OrderLineRequest, ReleaseHold
from central.web.errors import ApiError
from central.web.runtime import read, services

from .schemas import CreateOrderSchema, OrderActionSchema, OrderFilterSchema, OrderSchema, OrderSummarySchema

blp = Blueprint("orders", __name__, url_prefix="/api/v1/orders", description="Customer orders")


def operator_of(body: dict, required: bool = False) -> str:
    """Return who asked: the body's operator field, else the X-Operator header (the centre has no login yet)."""
    operator = (body.get("operator") or request.headers.get("X-Operator", "")).strip()[:64]
    if required and not operator:
        raise ApiError(422, "operator_required", "Say who asks: send the X-Operator header or an operator field.",
                       {"operator": ["Give the operator's name."]})
    return operator


def known_order(order_id: str) -> dict:
    order = read(queries.get_order, order_id)
    if order is None:
        raise ApiError(404, "unknown_order", f"No order {order_id}; list orders with GET /api/v1/orders.")
    return order


@blp.route("")
class Orders(MethodView):
    @blp.arguments(OrderFilterSchema, location="query", unknown="raise")
    @blp.response(200, OrderSummarySchema(many=True))
    def get(self, args):
        """List orders, newest first, optionally by status and site."""
        return read(queries.list_orders, args.get("status"), args.get("site"), args["limit"], args["offset"])

    @blp.arguments(CreateOrderSchema)
    @blp.response(201, OrderSchema)
    def post(self, body):
        """Take a customer order; it is allocated at once if a site (or, with allow_split, several) can fill it.

        With hold_reason the order is created on hold and is not allocated until released."""
        order_id = services().bus.handle(CreateOrder(
            customer=body["customer"], requested_ship_date=body["requested_ship_date"].isoformat(),
            lines=[OrderLineRequest(line["sku"], line["qty"]) for line in body["lines"]],
            priority=body["priority"], external_ref=body["external_ref"], allow_split=body["allow_split"],
            hold_reason=body["hold_reason"], operator=operator_of(body, required=body["hold_reason"] is not None)))
        return read(queries.get_order, order_id)


@blp.route("/<order_id>")
class OrderById(MethodView):
    @blp.response(200, OrderSchema)
    def get(self, order_id):
        """Show one order with its lines (picked and short), its status history and its parts."""
        return known_order(order_id)


def _act(order_id: str, body: dict, command) -> dict:
    known_order(order_id)
    services().bus.handle(command(order_id, body["reason"], operator_of(body, required=True)))
    return read(queries.get_order, order_id)


@blp.route("/<order_id>/hold")
class OrderHold(MethodView):
    @blp.arguments(OrderActionSchema)
    @blp.response(200, OrderSchema)
    def post(self, body, order_id):
        """Put an order not yet sent to a site on hold (credit or manual); who and why go into its history."""
        return _act(order_id, body, HoldOrder)


@blp.route("/<order_id>/release-hold")
class OrderReleaseHold(MethodView):
    @blp.arguments(OrderActionSchema)
    @blp.response(200, OrderSchema)
    def post(self, body, order_id):
        """Take an order off hold; it is offered stock at once. Who and why go into its history."""
        return _act(order_id, body, ReleaseHold)


@blp.route("/<order_id>/cancel")
class OrderCancel(MethodView):
    @blp.arguments(OrderActionSchema)
    @blp.response(200, OrderSchema)
    def post(self, body, order_id):
        """Cancel an order: at once if no site has it, else cancel_requested until its site answers.

        A shipped order cannot be cancelled (409 cancel_refused). Cancelling again changes nothing."""
        return _act(order_id, body, CancelOrder)
