"""Network pages: KPIs per site with charts, orders at risk with their reason, anomalies, the sites' sync state."""
from central.adapters import ops_anomalies, ops_forecast, ops_queries
from central.adapters.ops_kpis import network_kpis
from central.web.runtime import services

from . import ops, settings
from .reads import WINDOWS, now, page, reading, window_hours


@ops.get("/kpis")
def kpis():
    """Render every site's fill rate, cycle time, pick accuracy and backlog side by side, with charts."""
    hours = window_hours()
    with reading() as conn:
        site_ids = [site["site_id"] for site in ops_queries.sites(conn)]
        figures = network_kpis(conn, site_ids, now(), hours)
    return page("ops/kpis.html", k=figures, windows=WINDOWS, charts=chart_configs(figures))


def chart_configs(k: dict) -> dict:
    """Describe each chart as a Chart.js config keyed by its canvas id (one bar per site)."""
    labels = [s["site_id"] for s in k["sites"]]

    def pct(name: str) -> list:
        return [round(s[name] * 100, 1) if s[name] is not None else None for s in k["sites"]]
    return {
        "chart-quality": {"type": "bar", "data": {"labels": labels, "datasets": [
            {"label": "fill rate %", "data": pct("fill_rate"), "backgroundColor": "#1b7f3b"},
            {"label": "pick accuracy %", "data": pct("pick_accuracy"), "backgroundColor": "#2f6fd0"}]},
            "options": {"scales": {"y": {"min": 0, "max": 100}}}},
        "chart-cycle": {"type": "bar", "data": {"labels": labels, "datasets": [
            {"label": "median hours received → shipped", "data": [s["cycle_median_hours"] for s in k["sites"]],
             "backgroundColor": "#6b4fbb"},
            {"label": "p90 hours", "data": [s["cycle_p90_hours"] for s in k["sites"]], "backgroundColor": "#b9a8e6"}]}},
        "chart-backlog": {"type": "bar", "data": {"labels": labels, "datasets": [
            {"label": "units to pick", "data": [s["backlog_units"] for s in k["sites"]], "backgroundColor": "#b26a00"},
            {"label": "lines to pick", "data": [s["backlog_lines"] for s in k["sites"]],
             "backgroundColor": "#e0b25c"}]}},
        "chart-rate": {"type": "bar", "data": {"labels": labels, "datasets": [
            {"label": "units picked per hour", "data": [s["units_per_hour"] for s in k["sites"]],
             "backgroundColor": "#2f6fd0"}]}},
    }


@ops.get("/at-risk")
def at_risk():
    """Render the orders forecast to miss their ship date, each with the reason."""
    with reading() as conn:
        risks = ops_forecast.at_risk(conn, now(), settings.ship_cutoff(), settings.rate_hours())
    return page("ops/at_risk.html", risks=risks, cutoff=settings.ship_cutoff(), rate_hours=settings.rate_hours())


@ops.get("/anomalies")
def anomalies():
    """Render the inventory anomalies of the window: repeated shorts, negative stock, quiet sites, dead letters."""
    hours = window_hours(default=8)  # a shift: the running sum of stock deltas costs in proportion to the window
    with reading() as conn:
        found = ops_anomalies.anomalies(conn, now(), hours, settings.repeated_shorts(), settings.quiet_minutes())
    return page("ops/anomalies.html", a=found, windows=WINDOWS)


@ops.get("/sync")
def sync_state():
    """Render each site's sync state: online, lag, last event, outbox depth as the site reports it."""
    sync = services().sync
    with reading() as conn:
        states = ops_queries.sync_states(conn, getattr(sync, "peer_online", None))
        dead = ops_queries.open_dead_letters(conn)
    link = sync.health() if sync is not None else None
    return page("ops/sync.html", states=states, link=link, dead=dead)
