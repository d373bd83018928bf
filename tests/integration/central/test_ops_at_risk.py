"""Orders at risk of missing their ship date, forecast from each site's backlog and recent picking rate."""
from datetime import datetime, timedelta, timezone

import pytest

from central.adapters.ops_forecast import at_risk, ship_risks
from ops_ledger import KETTLE, at, order, picked, status, stock, through_inbox
from sync.sqlite_store import read_connection

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def network(seeded, db_path, app):
    """DC01 picked 480 units in the last 4 hours (120/h) and has 240 + 200 units of work queued for 14:00."""
    app.config.update(OPS_CLOCK=lambda: NOW, SHIP_CUTOFF="14:00")
    through_inbox(db_path, "DC01", stock("A-01-01", 2000))
    through_inbox(db_path, "DC02", stock("B-01-01", 10, sku=KETTLE))
    done = order(seeded, 480, priority=1)["order_id"]
    urgent = order(seeded, 240, priority=2, customer="Urgent Co")["order_id"]
    normal = order(seeded, 200, priority=5, customer="Normal Co")["order_id"]
    later = order(seeded, 100, priority=1, ship="2026-03-11")["order_id"]  # ships tomorrow: first of its priority
    kettle = order(seeded, 3, sku=KETTLE)["order_id"]  # DC02 has never picked
    held = order(seeded, 5, hold_reason="credit check")["order_id"]
    through_inbox(db_path, "DC01", *(at(NOW - timedelta(hours=h), picked(done, 120)) for h in (4, 3, 2, 1)),
                  at(NOW - timedelta(minutes=30), status(done, "picked")))
    return {"done": done, "urgent": urgent, "normal": normal, "later": later, "kettle": kettle, "held": held}


def reasons(db_path):
    with read_connection(db_path) as conn:
        return {risk.order_id: risk.reason for risk in at_risk(conn, NOW, "14:00", 4)}


def test_the_order_that_finishes_after_its_ship_time_is_at_risk_with_the_reason(network, db_path):
    found = reasons(db_path)
    # dispatch order at DC01: done (0 left), later (priority 1, 100), urgent (240) → ready 14:50: late
    assert found[network["urgent"]] == "DC01: 340 units ahead at 120 units/h → ready around 14:50, ship date 14:00"
    assert found[network["normal"]] == "DC01: 540 units ahead at 120 units/h → ready around 16:30, ship date 14:00"
    assert network["later"] not in found and network["done"] not in found


def test_a_site_with_work_and_no_picks_and_a_held_order_due_soon_are_at_risk(network, db_path):
    found = reasons(db_path)
    assert found[network["kettle"]] == ("DC02: 3 units ahead and no picks in the last 4 h"
                                        " → no rate to finish by ship date 14:00")
    assert found[network["held"]] == "on hold (credit check); ship date 14:00"


def test_faster_picking_takes_orders_off_the_list(network, db_path):
    through_inbox(db_path, "DC01", *(at(NOW - timedelta(minutes=m), picked(network["later"], 25))
                                     for m in (50, 40, 30, 20)))
    found = reasons(db_path)
    # 580 units in 4 h = 145/h; 'later' is done; urgent: 240 at 145/h → 13:39, on time; normal: 440 → 15:02
    assert network["urgent"] not in found
    assert found[network["normal"]] == "DC01: 440 units ahead at 145 units/h → ready around 15:02, ship date 14:00"


def test_a_ship_time_that_has_passed_is_at_risk(network, db_path):
    with read_connection(db_path) as conn:
        risks = {r.order_id: r for r in ship_risks(conn, NOW + timedelta(hours=3), "14:00", 4)}
    assert risks[network["done"]].reason == "DC01: ship date 14:00 has passed and the order is still picked"
    assert not risks[network["later"]].at_risk


def test_the_pages_show_the_reasons_and_the_list_filters_at_risk_orders(network, client):
    page = client.get("/ops/at-risk").get_data(as_text=True)
    assert "340 units ahead at 120 units/h → ready around 14:50, ship date 14:00" in page
    listed = client.get("/ops/orders?at_risk=1").get_data(as_text=True)
    assert network["urgent"] in listed and network["held"] in listed
    assert network["later"] not in listed and network["done"] not in listed
    assert "4 orders" in listed
    detail = client.get(f"/ops/orders/{network['normal']}").get_data(as_text=True)
    assert "At risk: DC01: 540 units ahead" in detail
