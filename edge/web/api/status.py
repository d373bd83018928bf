"""How the site stands: stock, metrics and liveness (sync health is in sync_ops)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from edge.adapters import queries
from sync.sqlite_store import read_connection

from . import services

# Read-only site status, open on the site network like the status page: the demo, the end-to-end
# harness and monitoring read it without a picker's session. Nothing here changes state.
public = Blueprint("status", __name__, description="Stock, metrics, sync health and liveness; no sign-in needed")


@public.route("/stock")
class Stock(MethodView):
    @public.response(200)
    def get(self):
        """List stock by location, sku and lot, the pack area included."""
        with read_connection(services().db_path) as conn:
            return queries.stock(conn)


@public.route("/metrics")
class Metrics(MethodView):
    @public.response(200)
    def get(self):
        """Count scans, rejections and picks."""
        with read_connection(services().db_path) as conn:
            return queries.metrics(conn)


@public.route("/health")
class Health(MethodView):
    @public.response(200)
    def get(self):
        """Say the server is up and which site it serves."""
        return {"status": "ok", "site": services().site_id}
