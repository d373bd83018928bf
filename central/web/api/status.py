"""Liveness of the centre."""
from flask.views import MethodView
from flask_smorest import Blueprint

from central.web.runtime import read

blp = Blueprint("status", __name__, url_prefix="", description="Liveness (sync health is under /api/v1/sync)")


@blp.route("/health")
class Health(MethodView):
    @blp.response(200)
    def get(self):
        """Answer ok when the app can read its database."""
        read(lambda conn: conn.execute("SELECT 1").fetchone())
        return {"status": "ok"}

