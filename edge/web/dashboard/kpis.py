"""The KPI page: fill rate, cycle time, accuracy, lines per hour, backlog and orders at risk, drawn as charts."""
from flask import current_app, request

from edge.adapters import kpi_queries

from ..staff_auth import staff_required
from . import dashboard
from .reads import now, page, reading

WINDOWS = (1, 4, 8, 12, 24)


def window_hours() -> int:
    """Read ?hours= from the query string, falling back to a shift of 8 hours for anything not offered."""
    hours = request.args.get("hours", "8")
    return int(hours) if hours.isdigit() and int(hours) in WINDOWS else 8


@dashboard.get("/kpis")
@staff_required("floor")
def kpis():
    """Render the KPIs of the last few hours from the site's own event log."""
    hours = window_hours()
    with reading() as conn:
        figures = kpi_queries.kpis(conn, now(), hours, current_app.config.get("SHIP_CUTOFF", "17:00"))
    return page("kpis.html", k=figures, windows=WINDOWS, charts=chart_configs(figures))


@dashboard.get("/kpis.json")
@staff_required("floor")
def kpis_json():
    """Answer the same KPIs as JSON, for a wallboard or a script."""
    with reading() as conn:
        return kpi_queries.kpis(conn, now(), window_hours(), current_app.config.get("SHIP_CUTOFF", "17:00"))


def chart_configs(k: dict) -> dict:
    """Describe each chart of the page as a Chart.js config, keyed by its canvas id."""
    top = k["pickers"][:20]
    return {
        "chart-hourly": {"type": "bar", "data": {"labels": k["hourly"]["labels"], "datasets": [
            {"label": "lines picked", "data": k["hourly"]["lines"], "backgroundColor": "#2f6fd0"},
            {"label": "units picked", "data": k["hourly"]["units"], "type": "line", "borderColor": "#1b7f3b",
             "backgroundColor": "#1b7f3b"}]}},
        "chart-pickers": {"type": "bar", "data": {"labels": [p["name"] for p in top], "datasets": [
            {"label": "lines per hour", "data": [p["lines_per_hour"] for p in top], "backgroundColor": "#2f6fd0"}]},
            "options": {"indexAxis": "y"}},
        "chart-cycle": {"type": "bar", "data": {"labels": k["cycle"]["histogram"]["labels"], "datasets": [
            {"label": "orders shipped", "data": k["cycle"]["histogram"]["orders"], "backgroundColor": "#6b4fbb"}]}},
        "chart-backlog": {"type": "bar", "data": {"labels": k["backlog"]["zones"], "datasets": [
            {"label": "tasks left", "data": k["backlog"]["tasks"], "backgroundColor": "#b26a00"},
            {"label": "units left", "data": k["backlog"]["units"], "backgroundColor": "#e0b25c"}]}},
        "chart-quality": {"type": "doughnut", "data": {
            "labels": ["units picked", "units short", "wrong items scanned"], "datasets": [
                {"data": [k["units_picked"], k["units_short"], k["wrong_items"]],
                 "backgroundColor": ["#1b7f3b", "#b3261e", "#b26a00"]}]}},
    }
