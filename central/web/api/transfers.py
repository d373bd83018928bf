"""Transfers between sites: an order allocated to the source site, shipping to the destination site."""
from flask.views import MethodView
from flask_smorest import Blueprint

from central.adapters import queries
from central.service.commands import CreateTransfer, OrderLineRequest, ReceiveTransfer
from central.web.runtime import read, services

from .orders import known_order, operator_of
from .schemas import OrderSchema, TransferInSchema, TransferReceiptSchema

blp = Blueprint("transfers", __name__, url_prefix="/api/v1/transfers", description="Transfers between sites")


@blp.route("")
class Transfers(MethodView):
    @blp.arguments(TransferInSchema)
    @blp.response(201, OrderSchema)
    def post(self, body):
        """Move stock from one site to another: an order of kind transfer allocated to from_site at once.

        Refused with 409 not_enough_stock if from_site cannot fill it now. Once from_site ships it, its
        quantities show as in_transit at to_site until POST /api/v1/transfers/{id}/receipt."""
        order_id = services().bus.handle(CreateTransfer(
            from_site=body["from_site"], to_site=body["to_site"],
            requested_ship_date=body["requested_ship_date"].isoformat(),
            lines=[OrderLineRequest(line["sku"], line["qty"]) for line in body["lines"]],
            priority=body["priority"], operator=operator_of(body)))
        return read(queries.get_order, order_id)


@blp.route("/<order_id>/receipt")
class TransferReceipt(MethodView):
    @blp.arguments(TransferReceiptSchema)
    @blp.response(200, OrderSchema)
    def post(self, body, order_id):
        """Confirm a shipped transfer arrived at its destination: it no longer counts as in transit.

        The destination's stock rises through its own stock events (its count of the goods put away)."""
        known_order(order_id)
        services().bus.handle(ReceiveTransfer(order_id, operator_of(body)))
        return read(queries.get_order, order_id)
