"""Items (the centre's item master): list, show, create or update."""
from flask.views import MethodView
from flask_smorest import Blueprint

from central.adapters import queries
from central.service.commands import UpsertItem
from central.web.errors import ApiError
from central.web.runtime import read, services

from .schemas import ItemInSchema, ItemSchema, PageSchema

blp = Blueprint("items", __name__, url_prefix="/api/v1/items", description="Item master")

MAX_SKU = 64


@blp.route("")
class Items(MethodView):
    @blp.arguments(PageSchema, location="query", unknown="raise")
    @blp.response(200, ItemSchema(many=True))
    def get(self, args):
        """List items by sku."""
        return read(queries.list_items, args["limit"], args["offset"])


@blp.route("/<sku>")
class ItemBySku(MethodView):
    @blp.response(200, ItemSchema)
    def get(self, sku):
        """Show one item."""
        item = read(queries.get_item, sku)
        if item is None:
            raise ApiError(404, "unknown_item", f"No item {sku}; create it with PUT /api/v1/items/{sku}.")
        return item

    @blp.arguments(ItemInSchema)
    @blp.response(200, ItemSchema)
    def put(self, body, sku):
        """Create or update an item; a change is queued to every site as item.upserted."""
        if len(sku) > MAX_SKU:
            raise ApiError(422, "validation_failed", f"Use a sku of at most {MAX_SKU} characters.",
                           {"sku": [f"Longer than {MAX_SKU} characters."]})
        services().bus.handle(UpsertItem(sku, body["description"], tuple(body["gtins"]), body["tracking"]))
        return read(queries.get_item, sku)
