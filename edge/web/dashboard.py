"""A read-only status page for the site lead: orders by status, open tasks, stock and sync."""
from flask import Blueprint, current_app, render_template

from edge.adapters import queries
from sync.sqlite_store import read_connection

from .staff_auth import current_staff, staff_required

dashboard = Blueprint("dashboard", __name__, template_folder="templates")


@dashboard.get("/")
@staff_required("floor")
def status_page():
    """Render the site's status from the read side."""
    services = current_app.extensions["wes_edge"]
    with read_connection(services.db_path) as conn:
        page = {"orders": queries.orders(conn), "tasks": queries.open_tasks(conn, limit=100),
                "stock": queries.stock(conn), "metrics": queries.metrics(conn)}
    sync = services.sync.health() if services.sync is not None else {"configured": False}
    return render_template("edge_status.html", site=services.site_id, sync=sync, staff=current_staff(), **page)
