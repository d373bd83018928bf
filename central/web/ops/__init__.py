"""The central ops view: server-rendered pages over the centre's read side (read-only, no login yet)."""
from pathlib import Path

from flask import Blueprint, redirect, render_template, request, url_for

from .reads import BadArgument

# The vendored htmx and Chart.js (with their licences) and the ops stylesheet live in central/web/static.
ops = Blueprint("ops", __name__, url_prefix="/ops", template_folder="templates",
                static_folder=str(Path(__file__).resolve().parent.parent / "static"), static_url_path="/static")

NAV = (("ops.overview", "Overview"), ("ops.orders", "Orders"), ("ops.kpis", "KPIs"), ("ops.at_risk", "At risk"),
       ("ops.anomalies", "Anomalies"), ("ops.sync_state", "Sites' sync"))


@ops.app_context_processor
def ops_context() -> dict:
    return {"ops_nav": NAV, "here": request.endpoint}


def landing():
    """Send a visitor of the centre's root to the ops overview."""
    return redirect(url_for("ops.overview"), code=302)


def register_ops_view(app) -> None:
    """Add the ops pages under /ops and make / lead there."""
    app.register_blueprint(ops)
    app.add_url_rule("/", "landing", landing)


from . import network, orders, overview  # noqa: E402,F401  (views register on the blueprint)


@ops.errorhandler(BadArgument)
def bad_argument(err: BadArgument):
    return render_template("ops/refused.html", error=str(err)), 400


@ops.errorhandler(404)
def not_found(err):
    return render_template("ops/refused.html", error=err.description), 404
