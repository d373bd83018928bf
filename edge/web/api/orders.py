"""Orders at the site: list and inspect them, close the carton, confirm shipment."""
from flask import g
from flask.views import MethodView

from edge.adapters import queries
from edge.domain.errors import UnknownOrder
from edge.service.commands import CloseCarton, ConfirmShipment
from sync.sqlite_store import read_connection

from ..schemas import CloseCartonV1Schema, OrderFilterV1Schema, ShipmentV1Schema
from . import answer, services, signed_in_blueprint

blp = signed_in_blueprint("orders", __name__, "Orders released to this site, packing and shipping")


@blp.route("/orders")
class Orders(MethodView):
    @blp.arguments(OrderFilterV1Schema, location="query")
    @blp.response(200)
    def get(self, args):
        """List orders, optionally only those in the given statuses (status=picked,short)."""
        with read_connection(services().db_path) as conn:
            return queries.orders(conn, args["statuses"])


@blp.route("/orders/<order_id>")
class OrderDetail(MethodView):
    @blp.response(200)
    def get(self, order_id):
        """Show one order with its lines, tasks and cartons."""
        with read_connection(services().db_path) as conn:
            order = queries.order_detail(conn, order_id)
        if order is None:
            raise UnknownOrder(order_id)
        return order


@blp.route("/orders/<order_id>/cartons")
class Cartons(MethodView):
    @blp.arguments(CloseCartonV1Schema)
    @blp.response(201)
    def post(self, body, order_id):
        """Close one carton with the items scanned into it, or with everything picked and not yet packed."""
        items = body.get("items")
        return answer(services().bus.handle(CloseCarton(
            order_id, g.picker["badge"], g.picker["device_id"], body["op_id"],
            None if items is None else tuple((i["barcode"], i["qty"]) for i in items))))


@blp.route("/orders/<order_id>/shipment")
class Shipment(MethodView):
    @blp.arguments(ShipmentV1Schema)
    @blp.response(200)
    def post(self, body, order_id):
        """Confirm the packed order has left the site through a dock door, with the cartons scanned at loading."""
        cartons = body.get("cartons")
        return answer(services().bus.handle(ConfirmShipment(
            order_id, g.picker["badge"], g.picker["device_id"], body["op_id"], body["dock_door"].strip().upper(),
            None if cartons is None else tuple(cartons))))
