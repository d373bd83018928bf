"""Sites: register them, and see each one's presence, locations and stock."""
from flask.views import MethodView
from flask_smorest import Blueprint

from central.adapters import queries
from central.service.commands import RegisterSite
from central.web.errors import ApiError
from central.web.runtime import read, services

from .schemas import LocationSchema, SiteInSchema, SiteSchema, SiteStockSchema

blp = Blueprint("sites", __name__, url_prefix="/api/v1/sites", description="Sites (distribution centres)")


def _known_site(site_id: str) -> dict:
    site = read(queries.get_site, site_id)
    if site is None:
        raise ApiError(404, "unknown_site", f"No site {site_id}; register it with POST /api/v1/sites.")
    return site


@blp.route("")
class Sites(MethodView):
    @blp.response(200, SiteSchema(many=True))
    def get(self):
        """List sites with whether each is online."""
        return read(queries.list_sites)

    @blp.arguments(SiteInSchema)
    @blp.response(201, SiteSchema)
    def post(self, body):
        """Register a site; every known item is queued to it as item.upserted."""
        services().bus.handle(RegisterSite(body["site_id"], body["name"]))
        return read(queries.get_site, body["site_id"])


@blp.route("/<site_id>")
class SiteById(MethodView):
    @blp.response(200, SiteSchema)
    def get(self, site_id):
        """Show one site and its last reported state."""
        return _known_site(site_id)


@blp.route("/<site_id>/locations")
class SiteLocations(MethodView):
    @blp.response(200, LocationSchema(many=True))
    def get(self, site_id):
        """List the locations the site reported, in pick sequence."""
        _known_site(site_id)
        return read(queries.site_locations, site_id)


@blp.route("/<site_id>/stock")
class SiteStock(MethodView):
    @blp.response(200, SiteStockSchema)
    def get(self, site_id):
        """Show the site's stock rows (PACK included) and a per-sku summary with what is available."""
        _known_site(site_id)
        return read(queries.site_stock, site_id)
