"""Inventory anomalies from hand-made ledgers: repeated shorts, stock gone negative, quiet sites, dead letters."""
from datetime import datetime, timedelta, timezone

import pytest

from central.adapters.ops_anomalies import anomalies
from central.service.commands import RecordSiteState
from ops_ledger import KETTLE, at, order, picked, shorted, stock, through_inbox
from sync.sqlite_store import read_connection


@pytest.fixture
def now(app):
    moment = datetime.now(timezone.utc)
    app.config["OPS_CLOCK"] = lambda: moment
    return moment


def found(db_path, now, hours=24, quiet_minutes=15):
    with read_connection(db_path) as conn:
        return anomalies(conn, now, hours, at_least_shorts=2, quiet_minutes=quiet_minutes)


def test_a_location_with_repeated_shorts_is_listed_and_a_single_short_is_not(seeded, db_path, now):
    through_inbox(db_path, "DC01", stock("A-01-01", 50), stock("B-01-01", 50))
    mugs = order(seeded, 30)["order_id"]
    through_inbox(db_path, "DC01", at(now - timedelta(hours=2), shorted(mugs, 1)),
                  at(now - timedelta(hours=1), shorted(mugs, 2)),
                  at(now - timedelta(minutes=5), shorted(mugs, 1, location="B-01-01")),
                  at(now - timedelta(hours=30), shorted(mugs, 1, location="B-01-01")))  # outside 24 h
    shorts = found(db_path, now)["repeated_shorts"]
    assert [(s["site_id"], s["location"], s["shorts"], s["units_short"], s["skus"]) for s in shorts] == [
        ("DC01", "A-01-01", 2, 3, ["SKU-BLUE-MUG"])]
    assert [s["location"] for s in found(db_path, now, hours=72)["repeated_shorts"]] == ["A-01-01", "B-01-01"]


def test_stock_that_dipped_below_zero_is_found_from_the_running_sum(seeded, db_path, now):
    through_inbox(db_path, "DC01", stock("A-01-01", 2), stock("C-01-01", 5))
    through_inbox(db_path, "DC01", at(now - timedelta(minutes=9), stock("A-01-01", -3, "pick")),
                  at(now - timedelta(minutes=8), stock("A-01-01", -1, "pick")),
                  at(now - timedelta(minutes=7), stock("A-01-01", 6, "count")),
                  at(now - timedelta(minutes=6), stock("C-01-01", -5, "pick")),  # down to zero: fine
                  at(now - timedelta(minutes=5), stock("D-01-01", -4, "adjust", sku=KETTLE)))  # still negative
    rows = {(r["location"], r["sku"]): r for r in found(db_path, now)["negative_stock"]}
    assert set(rows) == {("A-01-01", "SKU-BLUE-MUG"), ("D-01-01", KETTLE)}
    dip = rows[("A-01-01", "SKU-BLUE-MUG")]
    assert (dip["lowest"], dip["qty_now"], dip["reason"]) == (-2, 4, "pick")
    assert dip["seq"] == "1:3"  # the first pick after the two counts took it below zero
    assert (rows[("D-01-01", KETTLE)]["lowest"], rows[("D-01-01", KETTLE)]["qty_now"]) == (-4, -4)


def test_a_dip_is_measured_from_the_quantity_before_the_window(seeded, db_path, now):
    """Only deltas received in the window are read; the start comes from today's stock minus them."""
    through_inbox(db_path, "DC01", stock("A-01-01", 10))
    with read_connection(db_path) as conn:
        conn.execute("UPDATE sync_inbox SET received_at = ? WHERE stream = 'DC01'",
                     [(now - timedelta(hours=30)).isoformat()])  # the count arrived before the window
    through_inbox(db_path, "DC01", stock("A-01-01", -4, "pick"), stock("A-01-01", -7, "pick"))
    rows = found(db_path, now)["negative_stock"]
    assert [(r["location"], r["lowest"], r["qty_now"], r["went_negative_at"] is not None) for r in rows] == [
        ("A-01-01", -1, -1, True)]


def test_an_online_site_with_open_work_and_no_recent_events_is_quiet(seeded, app, db_path, now):
    through_inbox(db_path, "DC01", stock("A-01-01", 50))
    through_inbox(db_path, "DC02", stock("B-01-01", 5, sku=KETTLE))
    order(seeded, 10)  # DC01 has open work; DC02 has none
    bus = app.extensions["central"].bus
    for site in ("DC01", "DC02"):
        bus.handle(RecordSiteState(site, True, {"online": True, "epoch": 1, "last_seq": 1, "outbox_depth": 0}))
    assert found(db_path, now)["quiet_sites"] == []
    later = now + timedelta(minutes=20)
    quiet = found(db_path, later)["quiet_sites"]
    assert [(q["site_id"], q["backlog_units"]) for q in quiet] == [("DC01", 10)]
    bus.handle(RecordSiteState("DC01", False, {"online": False}))
    assert found(db_path, later)["quiet_sites"] == []  # offline is the sync page's business, not an anomaly


def test_open_dead_letters_are_counted_and_listed(seeded, db_path, now):
    through_inbox(db_path, "DC01", picked("SO-NOWHERE", 1))  # set aside: the centre has no such order
    letters = found(db_path, now)["dead_letters"]
    assert letters["count"] == 1
    assert "SO-NOWHERE" in letters["letters"][0]["reason"]


def test_the_anomalies_page_lists_each_kind(seeded, client, db_path, now):
    through_inbox(db_path, "DC01", stock("A-01-01", 1), stock("A-01-01", -2, "pick"), picked("SO-NOWHERE", 1))
    html = client.get("/ops/anomalies").get_data(as_text=True)
    negative = html.split('id="negative-stock"')[1].split("</table>")[0]
    assert "<td>A-01-01</td><td>SKU-BLUE-MUG</td><td class=\"num\">-1</td>" in negative
    assert "Open dead letters (1)" in html
    assert "None: count a location when it comes up here." in html
