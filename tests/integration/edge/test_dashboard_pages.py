"""The dashboard pages: what the floor, KPI, people and sync pages show, and who may open them."""
import pytest

from edge_api_support import add_login, dump, log_in, op
from dashboard_support import at_location, pick_all, row, ship, short_pick, take_task, wrong_item

PAGES = ["/", "/floor/live", "/exceptions", "/kpis", "/kpis.json", "/people", "/sync"]
ACTIONS = ["/exceptions/tasks/{task}/release", "/exceptions/tasks/{task}/reassign", "/exceptions/orders/SO-1/cancel",
           "/exceptions/short_pick/{task}/resolve", "/exceptions/print-jobs/1/reprint", "/people/enrolment-codes",
           "/people/devices/HH-01/revoke", "/exceptions/dead-letters/1/discard"]


@pytest.fixture
def lead(client, db_path) -> str:
    add_login(db_path, "maria", "lead")
    return log_in(client, "maria")


def test_the_floor_shows_tasks_by_zone_orders_and_who_picks_what(client, centre, sam, alex, lead):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2), ("SKU-KETTLE", 1)])
    centre.allocate("SO-2", [("SKU-TEAPOT", 3)], priority=1)
    task = take_task(client, sam)
    page = client.get("/").get_data(as_text=True)
    assert 'hx-get="/floor/live" hx-trigger="every 3s"' in page
    zones = page.split('id="zones"')[1].split("</table>")[0]
    assert "<td>A</td>" in zones and "<td>B</td>" in zones
    pickers = page.split('id="pickers"')[1].split("</table>")[0]
    assert f"{task['task_id']} <span class=\"pill assigned\">" in pickers and "Sam Picker" in pickers
    assert "Alex Picker" in pickers and "no task" in pickers  # signed in, nothing taken: idle
    assert "SO-1" in page and "SO-2" in page


def test_the_live_fragment_follows_the_floor_without_a_page_reload(client, centre, sam, lead):
    before = client.get("/floor/live").get_data(as_text=True)
    assert before.startswith('<div id="floor-live"') and '<div class="value" id="tasks-open">0</div>' in before
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2), ("SKU-KETTLE", 1)])
    after = client.get("/floor/live").get_data(as_text=True)
    assert '<div class="value" id="tasks-open">2</div>' in after and "<html" not in after


def test_kpis_come_from_the_event_log(client, centre, sam, lead):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 4)])
    centre.allocate("SO-2", [("SKU-TEAPOT", 5)])
    task = take_task(client, sam)
    at_location(client, sam, task)
    wrong_item(client, sam, task, 1)
    client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=sam,
                json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 4})
    short_pick(client, sam, found=3)
    ship(client, sam, "SO-1")
    k = client.get("/kpis.json").json
    assert (k["lines"], k["units_picked"], k["units_short"], k["wrong_items"]) == (2, 7, 2, 1)
    assert k["fill_rate"] == round(7 / 9, 4) and k["pick_accuracy"] == round(2 / 3, 4)
    assert k["cycle"]["orders"] == 1 and k["cycle"]["median_minutes"] is not None
    assert [(p["name"], p["lines"], p["wrong_items"]) for p in k["pickers"]] == [("Sam Picker", 2, 1)]
    assert sum(k["hourly"]["lines"]) == 2 and len(k["hourly"]["labels"]) == 8
    page = client.get("/kpis").get_data(as_text=True)
    assert '<div class="value" id="kpi-fill">77.8 %</div>' in page
    assert '<script type="application/json" id="chart-data">' in page and "chart-pickers" in page


def test_orders_due_with_no_picking_rate_are_at_risk(client, centre, lead):
    centre.allocate("SO-LATE", [("SKU-KETTLE", 1)], ship_date="2020-01-01")
    centre.allocate("SO-LATER", [("SKU-KETTLE", 1)], ship_date="2999-01-01")
    at_risk = client.get("/kpis.json").json["at_risk"]
    assert [o["order_id"] for o in at_risk["orders"]] == ["SO-LATE"]


def test_people_shows_pickers_and_handhelds_and_mints_a_code_once(client, db_path, centre, sam, lead):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2)])
    pick_all(client, sam)
    page = client.get("/people").get_data(as_text=True)
    assert "Sam Picker" in page and "HH-01" in page.split('id="people"')[1]
    minted = client.post("/people/enrolment-codes", data={"csrf_token": lead})
    code = minted.get_data(as_text=True).split('id="enrolment-code">')[1].split("<")[0]
    assert minted.status_code == 201 and len(code) == 9
    assert code not in client.get("/people").get_data(as_text=True)
    enrolled = client.post("/api/v1/devices", json={"enrolment_code": code, "device_id": "HH-07"})
    assert enrolled.status_code == 201, enrolled.json
    assert "<td>HH-07</td>" in client.get("/people").get_data(as_text=True)
    assert row(db_path, "SELECT actor, action FROM audit_log ORDER BY id DESC") == ("maria", "enrolment_code.created")


def test_revoking_a_handheld_needs_a_reason_and_is_audited(client, db_path, lead):
    code = client.post("/people/enrolment-codes", headers={"Accept": "application/json"},
                       data={"csrf_token": lead}).json["enrolment_code"]
    client.post("/api/v1/devices", json={"enrolment_code": code, "device_id": "HH-07"})
    before = dump(db_path)
    refused = client.post("/people/devices/HH-07/revoke", data={"csrf_token": lead, "reason": ""})
    assert refused.status_code == 422 and dump(db_path) == before
    assert client.post("/people/devices/HH-07/revoke", data={"csrf_token": lead, "reason": "lost"}).status_code == 303
    assert "revoked" in client.get("/people").get_data(as_text=True)
    assert row(db_path, "SELECT action, subject, reason FROM audit_log ORDER BY id DESC") == (
        "device.revoked", "device:HH-07", "lost")


def test_sync_page_shows_whatever_health_reports(client, lead):
    page = client.get("/sync").get_data(as_text=True)
    assert "Connected to the broker" in page and "Events waiting" in page
    assert '<div class="value" id="outbox-depth">0</div>' in page


@pytest.mark.parametrize("path", PAGES)
def test_a_picker_cannot_open_lead_pages(client, db_path, path):
    add_login(db_path, "sam", "picker")
    log_in(client, "sam")
    assert client.get(path).status_code == 403


def test_a_picker_cannot_act_and_nothing_changes(client, db_path, centre, sam):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 5)])
    task = short_pick(client, sam, found=2)
    add_login(db_path, "sam", "picker")
    token = log_in(client, "sam")
    before = dump(db_path)
    for path in ACTIONS:
        answer = client.post(path.format(task=task["task_id"]), data={
            "csrf_token": token, "reason": "let me", "location": "C-01-01", "action": "approve_short",
            "to_badge": "BADGE-0001", "printer": "PACK-1"})
        assert answer.status_code == 403, path
    assert dump(db_path) == before


def test_an_integrator_sees_sync_and_devices_but_not_the_floor(client, db_path, sam):
    add_login(db_path, "ivo", "integrator")
    token = log_in(client, "ivo")
    assert client.get("/sync").status_code == 200
    assert client.get("/").status_code == 403 and client.get("/exceptions").status_code == 403
    assert client.post("/people/enrolment-codes", data={"csrf_token": token}).status_code == 201
    people = client.get("/people").get_data(as_text=True)
    assert 'id="handhelds"' in people and 'id="people"' not in people  # no picker numbers for an integrator
    nav = people.split("</nav>")[0]
    assert "People &amp; devices" in nav and "Sync" in nav and "Exceptions" not in nav


def test_pages_need_a_login(client):
    for path in PAGES:
        assert client.get(path).status_code in (302, 401), path
