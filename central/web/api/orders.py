"""Customer orders: take them, list them, show one with its lines and status history."""
from flask.views import MethodView
from flask_smorest import Blueprint

from central.adapters import queries
from central.service.commands import CreateOrder, OrderLineRequest
from central.web.errors import ApiError
from central.web.runtime import read, services

from .schemas import CreateOrderSchema, OrderFilterSchema, OrderSchema, OrderSummarySchema

blp = Blueprint("orders", __name__, url_prefix="/api/v1/orders", description="Customer orders")


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
        """Take a customer order; it is allocated to a site at once if one can fill it."""
        order_id = services().bus.handle(CreateOrder(
            customer=body["customer"], requested_ship_date=body["requested_ship_date"].isoformat(),
            lines=[OrderLineRequest(line["sku"], line["qty"]) for line in body["lines"]],
            priority=body["priority"], external_ref=body["external_ref"]))
        return read(queries.get_order, order_id)


@blp.route("/<order_id>")
class OrderById(MethodView):
    @blp.response(200, OrderSchema)
    def get(self, order_id):
        """Show one order with its lines (picked and short) and its status history."""
        order = read(queries.get_order, order_id)
        if order is None:
            raise ApiError(404, "unknown_order", f"No order {order_id}; list orders with GET /api/v1/orders.")
        return order
