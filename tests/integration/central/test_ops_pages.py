"""Each ops page through the Flask test client: what it shows, its filters, and refusals that change nothing."""
from html import unescape

import pytest

from central.service.commands import RecordSiteState
from central_support import dump
from ops_ledger import KETTLE, order, picked, shorted, status, stock, through_inbox


@pytest.fixture
def network(seeded, db_path):
    through_inbox(db_path, "DC01", stock("A-01-01", 6), stock("B-01-01", 1, sku=KETTLE))
    through_inbox(db_path, "DC02", stock("A-01-01", 5))
    whole = order(seeded, 4, customer="Leeds Kitchens")
    split = order(seeded, 6, customer="Acme Ltd", allow_split=True)  # DC01 has 2 left: split with DC02
    held = order(seeded, 1, sku=KETTLE, customer="Bristol Cafe", hold_reason="credit check")
    part = split["parts"][0]
    through_inbox(db_path, part["site_id"], status(part["order_id"], "picking"),
                  at_event(picked(part["order_id"], 1)), shorted(part["order_id"], 1))
    return {"whole": whole["order_id"], "split": split["order_id"], "parts": [p["order_id"] for p in split["parts"]],
            "part_site": part["site_id"], "held": held["order_id"]}


def at_event(event):
    return event | {"occurred_at": "2026-03-10T09:15:00.000+00:00"}


def test_the_root_leads_to_the_overview_which_shows_orders_and_sites(network, client, app):
    assert client.get("/").headers["Location"] == "/ops/"
    app.extensions["central"].bus.handle(RecordSiteState("DC01", True, {"online": True, "epoch": 1, "last_seq": 9,
                                                                        "outbox_depth": 3}))
    html = client.get("/ops/").get_data(as_text=True)
    assert 'hx-get="/ops/live" hx-trigger="every 3s"' in html
    assert network["whole"] in html and "Leeds Kitchens" in html
    assert '<div class="value" id="sites-online">1 / 2</div>' in html
    live = client.get("/ops/live").get_data(as_text=True)
    assert live.startswith('\n<div id="live"') or live.lstrip().startswith('<div id="live"')
    assert "<nav" not in live


def test_the_order_list_filters_by_status_site_customer(network, client):
    def listed(query):
        html = client.get(f"/ops/orders?{query}").get_data(as_text=True)
        table = html.split('id="orders"')[1].split("</table>")[0]
        return {oid for oid in [network["whole"], network["split"], *network["parts"], network["held"]]
                if f">{oid}</a>" in table}
    everything = {network["whole"], network["split"], *network["parts"], network["held"]}
    assert listed("") == everything
    assert listed("status=on_hold") == {network["held"]}
    assert listed("status=split") == {network["split"]}
    at_dc02 = {p for p in network["parts"] if client.get(f"/api/v1/orders/{p}").json["site_id"] == "DC02"}
    assert len(at_dc02) == 1
    assert listed("site=DC02") == at_dc02
    assert listed("site=DC01") == {network["whole"], *network["parts"]} - at_dc02
    assert listed("customer=leeds") == {network["whole"]}
    assert listed("customer=acme&status=split") == {network["split"]}
    assert listed("customer=nobody") == set()


def test_an_htmx_poll_gets_only_the_table_and_a_new_order_shows_in_it(network, client, seeded):
    before = client.get("/ops/orders", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert before.lstrip().startswith('<div id="order-list" hx-get="/ops/orders?"') and "<nav" not in before
    fresh = order(seeded, 1, customer="Late Arrival Ltd")["order_id"]
    after = client.get("/ops/orders", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fresh not in before and fresh in after and "Late Arrival Ltd" in after


def test_the_list_pages_fifty_at_a_time(seeded, client, db_path):
    through_inbox(db_path, "DC01", stock("A-01-01", 1000))
    made = [order(seeded, 1)["order_id"] for _ in range(53)]
    first = client.get("/ops/orders").get_data(as_text=True)
    second = client.get("/ops/orders?page=2").get_data(as_text=True)
    assert "53 orders · page 1 of 2" in first and "older →" in first
    assert made[-1] in first and made[0] not in first
    assert made[0] in second and made[2] in second and made[3] not in second.split('id="orders"')[1]


def test_an_order_page_shows_lines_parts_history_and_site_events(network, client):
    html = client.get(f"/ops/orders/{network['split']}").get_data(as_text=True)
    for part in network["parts"]:
        assert f'<a href="/ops/orders/{part}">{part}</a>' in html
    assert "Not split" not in html
    events = html.split('id="events"')[1].split("</table>")[0]
    assert "1 × SKU-BLUE-MUG at A-01-01 by BADGE-0001" in events
    assert "1 × SKU-BLUE-MUG short at A-01-01 (slot empty)" in events
    assert "→ picking" in events
    part = client.get(f"/ops/orders/{network['parts'][0]}").get_data(as_text=True)
    assert f"Part of <a href=\"/ops/orders/{network['split']}\">{network['split']}</a>" in part
    history = part.split('id="history"')[1].split("</table>")[0]
    assert "picking" in history and network["part_site"] in history
    held = client.get(f"/ops/orders/{network['held']}").get_data(as_text=True)
    row = held.split('id="history"')[1].split("</table>")[0]
    assert "kim.orders" in row and "credit check" in row
    assert "No site has reported on this order yet." in held


def test_the_sync_page_shows_each_site_as_it_reports_itself(network, client, app):
    app.extensions["central"].bus.handle(RecordSiteState("DC02", True, {"online": True, "epoch": 1, "last_seq": 12,
                                                                        "outbox_depth": 7}))
    html = client.get("/ops/sync").get_data(as_text=True)
    dc02 = html.split("<td>DC02")[1].split("</tr>")[0]
    assert "online" in dc02
    held = 1 if network["part_site"] == "DC01" else 4  # DC02 sent one stock event, plus three if it has the part
    assert f'<td class="num">{12 - held}</td><td class="num">7</td>' in dc02
    dc01 = html.split("<td>DC01")[1].split("</tr>")[0]
    assert "offline" in dc01


def test_the_vendored_libraries_are_served_with_their_licences(client):
    for name in ("vendor/htmx-2.0.11.min.js", "vendor/chart-4.6.1.umd.min.js", "vendor/htmx.LICENSE.txt",
                 "vendor/chartjs.LICENSE.txt", "ops.css", "ops.js"):
        answer = client.get(f"/ops/static/{name}")
        assert answer.status_code == 200 and len(answer.data) > 300, name
        answer.close()


@pytest.mark.parametrize("query, message", [
    ("status=lost", "Unknown status 'lost'"),
    ("site=XX99", "No site 'XX99'"),
    ("page=0", "page must be a whole number from 1 to 100000"),
    ("page=abc", "page must be a whole number"),
    ("customer=" + "x" * 200, "at most 128 characters"),
])
def test_bad_filters_are_refused_and_change_nothing(network, client, db_path, query, message):
    before = dump(db_path)
    answer = client.get(f"/ops/orders?{query}")
    assert answer.status_code == 400
    assert message in unescape(answer.get_data(as_text=True))
    assert dump(db_path) == before


def test_an_unknown_order_is_a_404_page(network, client):
    answer = client.get("/ops/orders/SO-NOPE")
    assert answer.status_code == 404
    assert "No order SO-NOPE; find it in the order list." in answer.get_data(as_text=True)
