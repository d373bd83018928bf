"""The site lead's dashboard: server-rendered pages over the read side, actions through the message bus."""
from flask import Blueprint, current_app, request

from ..staff_auth import current_staff

# Templates and static files (htmx, Chart.js, the stylesheet) live beside the app, in web/templates and web/static.
dashboard = Blueprint("dashboard", __name__)

# (endpoint, label, area a login needs to see the link)
NAV = (("dashboard.status_page", "Floor", "floor"), ("dashboard.exceptions", "Exceptions", "floor"),
       ("dashboard.kpis", "KPIs", "floor"), ("dashboard.people", "People & devices", "devices"),
       ("dashboard.sync_page", "Sync", "sync"), ("dashboard.counts", "Counts", "floor"),
       ("dashboard.verification", "Scans & lots", "floor"),
       ("dashboard.waves", "Waves", "floor"))
PRINTERS_PATH = "/devices/printers"  # the printers page, served by the devices part of the edge when present


@dashboard.app_context_processor
def dashboard_context() -> dict:
    """Give every dashboard template the site, the logged-in staff and the links their role may follow."""
    services = current_app.extensions["wes_edge"]
    staff = current_staff()
    links = [(endpoint, label) for endpoint, label, area in NAV if staff is not None and staff.may(area)]
    printers = next((rule.endpoint for rule in current_app.url_map.iter_rules() if rule.rule == PRINTERS_PATH), None)
    if printers and staff is not None and staff.may("devices"):
        links.append((printers, "Printers"))
    return {"site": services.site_id, "staff": staff, "nav_links": links, "here": request.endpoint}


from . import exceptions, floor, kpis, people, sync_page  # noqa: E402,F401  (views register on the blueprint)
from . import counts  # noqa: E402,F401
from . import verification  # noqa: E402,F401
from . import waves  # noqa: E402,F401
