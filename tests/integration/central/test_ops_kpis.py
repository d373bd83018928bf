"""Network KPIs per site from hand-made ledgers: fill rate, pick accuracy, cycle time, backlog, picking rate."""
from datetime import datetime, timedelta, timezone

import pytest

from central.adapters.ops_kpis import network_kpis
from ops_ledger import KETTLE, at, order, picked, shorted, status, stock, through_inbox, wrong_scan
from sync.sqlite_store import read_connection



@pytest.fixture
def network(seeded, db_path, app):
    now = datetime.now(timezone.utc) + timedelta(hours=3)  # orders are received now (real clock); the ledger runs on
    app.config["OPS_CLOCK"] = lambda: now
    through_inbox(db_path, "DC01", stock("A-01-01", 100), stock("A-01-02", 100))
    through_inbox(db_path, "DC02", stock("B-01-01", 10, sku=KETTLE))
    first = order(seeded, 12)["order_id"]        # DC01
    second = order(seeded, 30)["order_id"]       # DC01, left open
    kettle = order(seeded, 4, sku=KETTLE)["order_id"]  # DC02, never picked
    through_inbox(db_path, "DC01",
                  at(now - timedelta(hours=30), picked(second, 7)),  # before any window offered but 72 h
                  at(now - timedelta(hours=2), picked(first, 4)),
                  at(now - timedelta(hours=1, minutes=30), picked(first, 4, location="A-01-02")),
                  at(now - timedelta(hours=1), picked(first, 2)),
                  at(now - timedelta(minutes=50), shorted(first, 2)),
                  at(now - timedelta(minutes=40), wrong_scan("item")),
                  at(now - timedelta(minutes=39), wrong_scan("location")),  # a wrong slot is not a wrong item
                  at(now - timedelta(minutes=10), status(first, "shipped")))
    return {"first": first, "second": second, "kettle": kettle, "now": now}


def kpis_at(db_path, network, hours):
    with read_connection(db_path) as conn:
        return network_kpis(conn, ["DC01", "DC02"], network["now"], hours)


def test_each_site_gets_its_own_figures_side_by_side(network, db_path):
    k = kpis_at(db_path, network, 24)
    dc01, dc02 = k["sites"]
    assert (dc01["site_id"], dc02["site_id"]) == ("DC01", "DC02")
    assert (dc01["units_picked"], dc01["units_short"], dc01["picks"], dc01["wrong_items"]) == (10, 2, 3, 1)
    assert dc01["fill_rate"] == round(10 / 12, 4)
    assert dc01["pick_accuracy"] == 0.75
    # picking ran from NOW-2h: 10 units over 2 hours
    assert dc01["units_per_hour"] == 5.0
    assert dc01["orders_shipped"] == 1
    assert 2.8 < dc01["cycle_median_hours"] < 2.84  # received at the real now, shipped at NOW - 10 min
    # open work: the second order (30 asked, 7 picked); the first is shipped and no longer counts
    assert (dc01["backlog_lines"], dc01["backlog_units"]) == (1, 23)
    assert (dc02["fill_rate"], dc02["pick_accuracy"], dc02["units_per_hour"]) == (None, None, 0.0)
    assert (dc02["backlog_lines"], dc02["backlog_units"]) == (1, 4)
    assert k["network"]["backlog_units"] == 27
    assert k["network"]["fill_rate"] == round(10 / 12, 4)


def test_the_window_decides_which_events_count(network, db_path):
    assert kpis_at(db_path, network, 1)["sites"][0]["units_picked"] == 2
    assert kpis_at(db_path, network, 1)["sites"][0]["orders_shipped"] == 1
    assert kpis_at(db_path, network, 72)["sites"][0]["units_picked"] == 17


def test_set_aside_events_do_not_count(network, db_path):
    through_inbox(db_path, "DC02", at(network["now"] - timedelta(minutes=5), picked("SO-UNKNOWN", 50, sku=KETTLE)))
    dc02 = kpis_at(db_path, network, 24)["sites"][1]
    assert dc02["units_picked"] == 0


def test_the_kpi_page_shows_every_site_and_draws_from_its_figures(network, client):
    page = client.get("/ops/kpis?hours=24")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<td>DC01</td><td class="num">83.3 %</td><td class="num">75.0 %</td>' in html
    assert '<td>DC02</td><td class="num">–</td>' in html
    assert '"label": "fill rate %"' in html or '"label":"fill rate %"' in html
    assert '83.3' in html.split('id="chart-data"')[1]


@pytest.mark.parametrize("hours", ["5", "x", "-1", "99999999999999999999"])
def test_a_window_not_offered_is_refused(network, client, hours):
    page = client.get(f"/ops/kpis?hours={hours}")
    assert page.status_code == 400
    assert "Pick a window of 1, 4, 8, 24, 72, 168 hours" in page.get_data(as_text=True)
