"""Liveness and sync status of the centre."""
from flask.views import MethodView
from flask_smorest import Blueprint

from central.adapters import queries
from central.web.runtime import read, services

blp = Blueprint("status", __name__, url_prefix="", description="Health and sync status")


@blp.route("/health")
class Health(MethodView):
    @blp.response(200)
    def get(self):
        """Answer ok when the app can read its database."""
        read(lambda conn: conn.execute("SELECT 1").fetchone())
        return {"status": "ok"}


@blp.route("/api/v1/sync")
class SyncStatus(MethodView):
    @blp.response(200)
    def get(self):
        """Show the sync endpoint's health and each site's presence, or configured: false."""
        sync = services().sync
        if sync is None:
            return {"configured": False}
        sites = [{"site_id": s["site_id"], "online": s["online"], "last_seen_at": s["last_seen_at"]}
                 for s in read(queries.list_sites)]
        return {"configured": True, **sync.health(), "sites": sites}
