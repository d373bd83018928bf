"""Predict when each site finishes each open order, from its backlog in dispatch order and its picking rate."""
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class OpenOrder:
    """An order still to ship: where it is, how urgent, and how many units are still to pick."""

    order_id: str
    customer: str
    site_id: str | None
    status: str
    priority: int
    requested_ship_date: str
    units_left: int
    note: str = ""


@dataclass(frozen=True)
class ShipRisk:
    """One order's forecast: when it should be ready, and why it is at risk (empty reason: on time)."""

    order_id: str
    customer: str
    site_id: str | None
    status: str
    ship_at: datetime
    units_ahead: int
    ready_at: datetime | None
    reason: str

    @property
    def at_risk(self) -> bool:
        return bool(self.reason)


def ship_time(requested_ship_date: str, cutoff: str) -> datetime:
    """Return the moment an order ships: its requested ship date at the cut-off time (HH:MM, UTC)."""
    return datetime.fromisoformat(f"{requested_ship_date[:10]}T{cutoff}:00+00:00")


def _clock(moment: datetime, day: datetime) -> str:
    """Show a time as HH:MM on the ship date's own day, with the date otherwise."""
    return moment.strftime("%H:%M") if moment.date() == day.date() else moment.strftime("%Y-%m-%d %H:%M")


def forecast(orders: list[OpenOrder], rates: dict[str, float], now: datetime, cutoff: str,
             rate_hours: int, horizon: timedelta = timedelta(days=1)) -> list[ShipRisk]:
    """Forecast every open order; at a site, work goes in dispatch order (priority, ship date, order id).

    An order is ready once every unit ahead of it at its site and its own are picked at the site's rate
    (units per hour). It is at risk when it would be ready after its ship time, when its ship time has passed,
    when its site has work left but no rate, or when it sits at the centre (not allocated, on hold) with its
    ship time within the horizon.
    """
    ahead: dict[str, int] = {}
    risks = []
    for order in sorted(orders, key=lambda o: (o.site_id or "", o.priority, o.requested_ship_date, o.order_id)):
        ship_at = ship_time(order.requested_ship_date, cutoff)
        ship = f"ship date {_clock(ship_at, now)}"
        if order.site_id is None:
            reason = ""
            if ship_at <= now + horizon:
                reason = (f"on hold ({order.note or 'no reason given'}); {ship}" if order.status == "on_hold"
                          else f"not allocated to a site yet (no site has all the stock); {ship}")
            risks.append(ShipRisk(order.order_id, order.customer, None, order.status, ship_at, 0, None, reason))
            continue
        units = ahead.get(order.site_id, 0) + order.units_left
        ahead[order.site_id] = units
        rate = rates.get(order.site_id, 0.0)
        ready_at = now + timedelta(hours=units / rate) if rate > 0 else (now if order.units_left == 0 else None)
        reason = ""
        if ship_at <= now:
            reason = f"{order.site_id}: {ship} has passed and the order is still {order.status}"
        elif ready_at is None:
            reason = (f"{order.site_id}: {units} units ahead and no picks in the last {rate_hours} h"
                      f" → no rate to finish by {ship}")
        elif ready_at > ship_at:
            reason = (f"{order.site_id}: {units} units ahead at {rate:.0f} units/h → ready around"
                      f" {_clock(ready_at, ship_at)}, {ship}")
        risks.append(ShipRisk(order.order_id, order.customer, order.site_id, order.status, ship_at, units,
                              ready_at, reason))
    return risks
