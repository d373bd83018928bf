"""The ship-date forecast: work in dispatch order per site at the site's rate, with the reason in words."""
from datetime import datetime, timezone

from central.domain.ship_risk import OpenOrder, forecast

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def at_site(order_id, site, units, priority=5, ship="2026-03-10", status="released"):
    return OpenOrder(order_id, "Acme Ltd", site, status, priority, ship, units)


def test_each_site_works_its_own_queue_by_priority_then_ship_date():
    orders = [at_site("SO-3", "DC01", 60, priority=5), at_site("SO-1", "DC01", 120, priority=1),
              at_site("SO-2", "DC02", 60, priority=9), at_site("SO-4", "DC01", 10, priority=5, ship="2026-03-09")]
    risks = {r.order_id: r for r in forecast(orders, {"DC01": 60.0, "DC02": 60.0}, NOW, "14:00", 4)}
    assert {oid: r.units_ahead for oid, r in risks.items()} == {"SO-1": 120, "SO-4": 130, "SO-3": 190, "SO-2": 60}
    assert risks["SO-1"].ready_at == datetime(2026, 3, 10, 14, 0, tzinfo=timezone.utc)
    assert not risks["SO-1"].at_risk  # ready exactly at the ship time is on time
    assert not risks["SO-2"].at_risk
    assert risks["SO-3"].reason == "DC01: 190 units ahead at 60 units/h → ready around 15:10, ship date 14:00"
    assert risks["SO-4"].reason == "DC01: ship date 2026-03-09 14:00 has passed and the order is still released"


def test_a_late_finish_on_another_day_shows_the_date():
    risks = forecast([at_site("SO-1", "DC01", 1200)], {"DC01": 100.0}, NOW, "17:00", 4)
    assert risks[0].reason == "DC01: 1200 units ahead at 100 units/h → ready around 2026-03-11 00:00, ship date 17:00"


def test_orders_still_at_the_centre_are_at_risk_only_when_due_within_a_day():
    waiting = OpenOrder("SO-1", "Acme Ltd", None, "received", 5, "2026-03-11", 4)  # ships at 11 Mar 10:00
    held = OpenOrder("SO-2", "Acme Ltd", None, "on_hold", 5, "2026-03-10", 4, note="credit check")
    far = OpenOrder("SO-3", "Acme Ltd", None, "received", 5, "2026-03-20", 4)
    reasons = {r.order_id: r.reason for r in forecast([waiting, held, far], {}, NOW, "10:00", 4)}
    assert reasons == {"SO-1": "not allocated to a site yet (no site has all the stock); ship date 2026-03-11 10:00",
                       "SO-2": "on hold (credit check); ship date 10:00", "SO-3": ""}


def test_a_finished_order_needs_no_rate_but_unfinished_work_does():
    risks = {r.order_id: r for r in forecast([at_site("SO-1", "DC01", 0, status="picked"),
                                              at_site("SO-2", "DC01", 5)], {}, NOW, "17:00", 4)}
    assert not risks["SO-1"].at_risk and risks["SO-1"].ready_at == NOW
    assert risks["SO-2"].reason == "DC01: 5 units ahead and no picks in the last 4 h → no rate to finish by ship date 17:00"
