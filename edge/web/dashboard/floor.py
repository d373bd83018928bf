"""The floor page: tasks by zone and status, orders in progress, who picks what, idle pickers, ageing work."""
from edge.adapters import floor_queries

from ..staff_auth import staff_required
from . import dashboard
from .reads import now, page, reading

IDLE_MINUTES = 10


def floor_state() -> dict:
    """Read everything the floor shows, in one connection."""
    moment = now()
    with reading() as conn:
        pickers = floor_queries.pickers_at_work(conn, moment, IDLE_MINUTES)
        return {"zones": floor_queries.tasks_by_zone(conn), "orders": floor_queries.orders_in_progress(conn),
                "pickers": pickers, "idle": [p for p in pickers if p["idle"]],
                "ageing": floor_queries.ageing_work(conn, moment), "idle_minutes": IDLE_MINUTES,
                "updated_at": moment.strftime("%H:%M:%S")}


@dashboard.get("/")
@staff_required("floor")
def status_page():
    """Render the floor; its live part refreshes itself every few seconds."""
    return page("floor.html", **floor_state())


@dashboard.get("/floor/live")
@staff_required("floor")
def floor_live():
    """Render only the live part of the floor, for htmx to swap in."""
    return page("floor_live.html", **floor_state())
