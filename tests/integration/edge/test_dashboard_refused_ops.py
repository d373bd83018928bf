"""Handheld ops refused on replay because the lead moved the work on: logged once, listed, acknowledged (issue 6)."""
import pytest

from edge_api_support import add_login, dump, log_in, op
from dashboard_support import at_location, audit_actions, row, take_task

DEVICE_TIME = "2025-03-03T08:41:07+00:00"  # when Sam picked, offline; the edge hears of it later


@pytest.fixture
def lead(client, db_path) -> str:
    add_login(db_path, "maria", "lead")
    return log_in(client, "maria")


def refused_count(db_path: str) -> int:
    return row(db_path, "SELECT COUNT(*) FROM refused_ops")[0]


def queue_part(client) -> str:
    """The exceptions page without its list of recent lead actions."""
    return client.get("/exceptions").get_data(as_text=True).split("Recent lead actions")[0]


@pytest.fixture
def late_pick(client, db_path, centre, sam, lead) -> dict:
    """Sam picks offline; meanwhile the lead hands the task to Alex; Sam's queued pick then reaches the edge."""
    centre.allocate("SO-1", [("SKU-KETTLE", 2)])
    task = take_task(client, sam)
    at_location(client, sam, task)
    answer = client.post(f"/exceptions/tasks/{task['task_id']}/reassign",
                         data={"csrf_token": lead, "to_badge": "BADGE-0002", "reason": "Sam went home"})
    assert answer.status_code == 303
    body = {"op_id": op(), "barcode": "05012345678931", "qty": 2, "scanned_at": DEVICE_TIME,
            "lease_epoch": task["lease_epoch"]}
    replay = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=sam, json=body)
    assert (replay.status_code, replay.json["error"]) == (409, "lease_lost")
    return {"task": task, "body": body}


def test_a_pick_refused_on_replay_is_logged_once_and_changes_nothing_else(client, db_path, sam, late_pick):
    task, body = late_pick["task"], late_pick["body"]
    assert row(db_path, "SELECT badge, device_id, endpoint, code, task_id, occurred_at FROM refused_ops") == (
        "BADGE-0001", "HH-01", "confirm_pick", "lease_lost", task["task_id"], DEVICE_TIME)
    before = dump(db_path)
    again = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=sam, json=body)
    assert (again.status_code, again.json["error"]) == (409, "lease_lost")
    assert refused_count(db_path) == 1 and dump(db_path) == before
    assert row(db_path, "SELECT picker, picked_qty FROM tasks WHERE task_id = ?", [task["task_id"]]) == (
        "BADGE-0002", 0)
    assert row(db_path, "SELECT COUNT(*) FROM ops WHERE op_id = ?", [body["op_id"]]) == (0,)


def test_the_lead_sees_who_did_what_when_and_why_and_acknowledges_it(client, db_path, lead, late_pick):
    task, op_id = late_pick["task"], late_pick["body"]["op_id"]
    page = queue_part(client)
    assert f'data-op="{op_id}"' in page
    assert f"<strong>Sam Picker</strong> on HH-01: confirm pick on task {task['task_id']} (order SO-1)" in page
    assert "refused as lease lost" in page and "qty 2" in page and "barcode 05012345678931" in page
    assert "Done on the device 2025-03-03 08:41:07" in page and "reached the site 20" in page
    assert "task now assigned with BADGE-0002" in page
    url = f"/exceptions/refused_op/{op_id}/resolve"
    before = dump(db_path)
    no_reason = client.post(url, data={"csrf_token": lead, "action": "acknowledge", "reason": ""})
    assert no_reason.status_code == 422 and dump(db_path) == before
    done = client.post(url, data={"csrf_token": lead, "action": "acknowledge", "reason": "Alex picked it, stock ok"})
    assert done.status_code == 303
    assert f'data-op="{op_id}"' not in queue_part(client)
    assert audit_actions(db_path)[-1] == ("maria", "refused_op.acknowledge", f"refused_op:{op_id}",
                                          "Alex picked it, stock ok")
    again = client.post(url, data={"csrf_token": lead, "action": "acknowledge", "reason": "twice"})
    assert again.status_code == 409


def test_a_wrong_quantity_is_refused_without_a_trace(client, db_path, centre, sam):
    centre.allocate("SO-1", [("SKU-KETTLE", 2)])
    task = take_task(client, sam)
    at_location(client, sam, task)
    before = dump(db_path)
    answer = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=sam,
                         json={"op_id": op(), "barcode": "05012345678931", "qty": 5, "scanned_at": DEVICE_TIME,
                               "lease_epoch": task["lease_epoch"]})
    assert (answer.status_code, answer.json["error"]) == (422, "too_many")
    assert dump(db_path) == before and refused_count(db_path) == 0
