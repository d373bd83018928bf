"""The landing page of central ops: headline figures, newest orders and the sites' state, refreshed live."""
from central.adapters import ops_forecast, ops_queries
from central.adapters.ops_kpis import backlog

from . import ops, settings
from .reads import now, page, reading

NEWEST = 15


def overview_figures() -> dict:
    """Read what the overview shows; the live fragment renders the same figures."""
    with reading() as conn:
        counts = ops_queries.status_counts(conn)
        risks = ops_forecast.at_risk(conn, now(), settings.ship_cutoff(), settings.rate_hours())
        states = ops_queries.sync_states(conn)
        newest = ops_queries.order_page(conn, None, None, None, None, NEWEST, 0)["orders"]
        dead = ops_queries.open_dead_letters(conn, limit=0)["count"]
        work = backlog(conn)
    return {"counts": counts, "open_orders": sum(n for s, n in counts.items() if s not in ("shipped", "cancelled")),
            "at_risk": len(risks), "states": states, "newest": newest, "dead_letters": dead,
            "online": sum(1 for s in states if s["online"]), "backlog": work,
            "backlog_units": sum(w["units"] for w in work.values())}


@ops.get("/")
def overview():
    """Render the overview; its live part refreshes itself every few seconds."""
    return page("ops/overview.html", f=overview_figures())


@ops.get("/live")
def overview_live():
    """Render only the live part of the overview, for htmx to swap in."""
    return page("ops/overview_live.html", f=overview_figures())
