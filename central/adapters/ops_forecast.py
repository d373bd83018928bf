"""Forecast every open order's ready time from the ledger (site picking rates) and the orders (backlog)."""
import sqlite3
from datetime import datetime

from central.domain.ship_risk import ShipRisk, forecast

from .ops_kpis import units_per_hour
from .ops_queries import open_orders


def ship_risks(conn: sqlite3.Connection, now: datetime, cutoff: str, rate_hours: int,
               order_ids: list[str] | None = None) -> list[ShipRisk]:
    """Return every open order's forecast (or those of order_ids); a site's rate is its units/h over `rate_hours`."""
    risks = forecast(open_orders(conn, order_ids), units_per_hour(conn, now, rate_hours), now, cutoff, rate_hours)
    return risks if order_ids is None else [risk for risk in risks if risk.order_id in order_ids]


def at_risk(conn: sqlite3.Connection, now: datetime, cutoff: str, rate_hours: int) -> list[ShipRisk]:
    """Return only the orders at risk, the earliest ship time first."""
    risks = [risk for risk in ship_risks(conn, now, cutoff, rate_hours) if risk.at_risk]
    return sorted(risks, key=lambda r: (r.ship_at, r.site_id or "", r.order_id))
