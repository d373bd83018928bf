"""The exceptions queue: short picks released elsewhere or approved, tasks reassigned, orders cancelled; all audited."""
import pytest

from sync.sqlite_store import SqliteInboxStore

from edge_api_support import add_login, dump, log_in, outbox, op
from dashboard_support import at_location, audit_actions, pick_all, row, short_pick, take_task, wrong_item


@pytest.fixture
def lead(client, db_path) -> str:
    add_login(db_path, "maria", "lead")
    return log_in(client, "maria")


def test_a_short_pick_is_listed_with_its_context_and_free_locations(client, centre, sam, lead):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 5)])
    task = short_pick(client, sam, found=2)
    page = client.get("/exceptions").get_data(as_text=True)
    assert f"<strong>{task['task_id']}</strong>: 3 × SKU-BLUE-MUG missing at A-01-01" in page
    assert "Tea Rooms Ltd" in page and "slot empty" in page
    assert '<option value="C-01-01">C-01-01 (100 free)</option>' in page


def test_releasing_a_short_pick_elsewhere_makes_a_new_task_and_the_order_picks_again(client, db_path, centre, sam,
                                                                                      lead):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 5)])
    task = short_pick(client, sam, found=2)
    seq = outbox(db_path)[-1]["seq"]
    answer = client.post(f"/exceptions/tasks/{task['task_id']}/release",
                         data={"csrf_token": lead, "location": "C-01-01", "reason": "C-01-01 has stock"})
    assert answer.status_code == 303
    assert "released as task" in client.get("/exceptions").get_data(as_text=True)
    assert row(db_path, "SELECT status, qty, picked_qty FROM tasks WHERE task_id = ?", [task["task_id"]]) == (
        "picked", 2, 2)
    assert row(db_path, "SELECT location, qty, status FROM tasks WHERE task_id != ?", [task["task_id"]]) == (
        "C-01-01", 3, "open")
    recovered, reopened = outbox(db_path, seq)
    new_task_id = row(db_path, "SELECT task_id FROM tasks WHERE task_id != ?", [task["task_id"]])[0]
    # the centre hears the site fills the short itself, in the same transaction, so it takes back its back-order
    assert (recovered["type"], recovered["data"]) == ("task.short_recovered", {
        "task_id": task["task_id"], "new_task_id": new_task_id, "order_id": "SO-1", "line_no": 1,
        "sku": "SKU-BLUE-MUG", "qty": 3})
    assert (reopened["type"], reopened["data"]["status"]) == ("order.status_changed", "picking")
    assert audit_actions(db_path)[-1] == ("maria", "task.released_elsewhere", f"task:{task['task_id']}",
                                          "C-01-01 has stock")
    pick_all(client, sam)  # the new task, at C-01-01
    assert row(db_path, "SELECT status FROM orders WHERE order_id = 'SO-1'") == ("picked",)
    assert task["task_id"] not in client.get("/exceptions").get_data(as_text=True).split("Recent lead actions")[0]


def test_approving_a_short_takes_it_off_the_queue_and_a_second_approval_is_refused(client, db_path, centre, sam,
                                                                                   lead):
    centre.allocate("SO-1", [("SKU-TEAPOT", 5)])
    task = short_pick(client, sam, found=0)
    url = f"/exceptions/short_pick/{task['task_id']}/resolve"
    answer = client.post(url, data={"csrf_token": lead, "action": "approve_short", "reason": "customer accepts"})
    assert answer.status_code == 303
    assert f"<strong>{task['task_id']}</strong>" not in client.get("/exceptions").get_data(as_text=True)
    before = dump(db_path)
    again = client.post(url, data={"csrf_token": lead, "action": "approve_short", "reason": "twice"})
    assert again.status_code == 409 and "already resolved by maria" in again.get_data(as_text=True)
    assert dump(db_path) == before
    assert audit_actions(db_path)[-1] == ("maria", "short_pick.approve_short", f"short_pick:{task['task_id']}",
                                          "customer accepts")


@pytest.mark.parametrize("path, data", [
    ("/exceptions/tasks/{task}/release", {"location": "C-01-01", "reason": ""}),
    ("/exceptions/tasks/{task}/release", {"location": "A-01-01", "reason": "same place"}),
    ("/exceptions/tasks/{task}/release", {"location": "Z-99", "reason": "nowhere"}),
    ("/exceptions/tasks/{task}/reassign", {"to_badge": "BADGE-9999", "reason": "nobody"}),
    ("/exceptions/short_pick/{task}/resolve", {"action": "make_it_go_away", "reason": "magic"}),
    ("/exceptions/orders/SO-404/cancel", {"reason": "no such order"}),
    ("/exceptions/tasks/T-404/reassign", {"to_badge": "", "reason": "no such task"}),
])
def test_refused_actions_say_why_and_change_nothing(client, db_path, centre, sam, lead, path, data):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 5)])
    task = short_pick(client, sam, found=2)
    before = dump(db_path)
    answer = client.post(path.format(task=task["task_id"]), data={"csrf_token": lead, **data})
    assert 400 <= answer.status_code < 500
    assert 'class="flash error"' in answer.get_data(as_text=True)
    assert dump(db_path) == before


def test_refusals_answer_json_to_json_callers(client, db_path, centre, sam, lead):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 5)])
    task = short_pick(client, sam, found=2)
    answer = client.post(f"/exceptions/tasks/{task['task_id']}/release", headers={"Accept": "application/json"},
                         data={"csrf_token": lead, "location": "C-01-01", "reason": " "})
    assert answer.status_code == 422
    assert answer.json["error"] == "reason_required" and "reason field" in answer.json["message"]


def test_reassigning_a_task_fences_the_first_pickers_late_ops(client, db_path, centre, sam, alex, lead):
    centre.allocate("SO-1", [("SKU-KETTLE", 2)])
    task = take_task(client, sam)
    answer = client.post(f"/exceptions/tasks/{task['task_id']}/reassign",
                         data={"csrf_token": lead, "to_badge": "BADGE-0002", "reason": "Sam went home"})
    assert answer.status_code == 303
    assert row(db_path, "SELECT picker, status FROM tasks WHERE task_id = ?", [task["task_id"]]) == (
        "BADGE-0002", "assigned")
    late = client.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=sam,
                       json={"op_id": op(), "barcode": task["location_barcode"], "lease_epoch": task["lease_epoch"]})
    assert late.status_code in (403, 409)
    assert take_task(client, alex)["task_id"] == task["task_id"]
    assert audit_actions(db_path)[-1][1:] == ("task.reassigned", f"task:{task['task_id']}", "Sam went home")


def test_repeated_wrong_scans_are_listed_and_can_be_acknowledged(client, db_path, centre, sam, lead):
    centre.allocate("SO-1", [("SKU-KETTLE", 2)])
    task = take_task(client, sam)
    at_location(client, sam, task)
    wrong_item(client, sam, task, 3)
    page = client.get("/exceptions").get_data(as_text=True)
    assert f"3 refused item scans on {task['task_id']}" in page and "SKU-NOT-THIS" in page
    ref = f"{task['task_id']}/BADGE-0001"
    answer = client.post(f"/exceptions/wrong_scans/{ref}/resolve",
                         data={"csrf_token": lead, "action": "acknowledge", "reason": "relabelled the slot"})
    assert answer.status_code == 303
    assert "refused item scans" not in client.get("/exceptions").get_data(as_text=True)


def test_cancelling_an_order_mid_pick_lists_the_goods_to_put_back(client, db_path, centre, sam, lead):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2), ("SKU-KETTLE", 1)])
    pick_all(client, sam)
    answer = client.post("/exceptions/orders/SO-1/cancel", data={"csrf_token": lead, "reason": "customer called"})
    assert answer.status_code == 303
    assert outbox(db_path)[-1]["data"]["status"] == "cancelled"
    page = client.get("/exceptions").get_data(as_text=True)
    assert "<strong>SO-1</strong> for Tea Rooms Ltd: 2 units already picked" in page
    assert "SKU-BLUE-MUG x2 from A-01-01" in page
    client.post("/exceptions/cancelled_mid_pick/SO-1/resolve",
                data={"csrf_token": lead, "action": "goods_put_back", "reason": "back on A-01-01"})
    assert "units already picked" not in client.get("/exceptions").get_data(as_text=True)
    assert [a[1] for a in audit_actions(db_path)[-2:]] == ["order.cancelled", "cancelled_mid_pick.goods_put_back"]


def test_a_cancel_mid_pick_shows_its_put_back_until_a_picker_puts_the_goods_back(client, db_path, centre, sam, lead):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2)])
    pick_all(client, sam)
    client.post("/exceptions/orders/SO-1/cancel", data={"csrf_token": lead, "reason": "customer called"})
    page = client.get("/exceptions").get_data(as_text=True)
    [task] = client.get("/api/v1/putaway-tasks", headers=sam).json["tasks"]
    assert f"<strong>{task['task_id']}</strong>: 2 × SKU-BLUE-MUG from PACK back to A-01-01" in page
    assert "Order SO-1 for Tea Rooms Ltd was cancelled after picking." in page
    done = client.post(f"/api/v1/putaway-tasks/{task['task_id']}/confirm", headers=sam,
                       json={"op_id": op(), "location_barcode": "LOC-A-01-01"})
    assert done.status_code == 200, done.json
    assert "No put-back waiting." in client.get("/exceptions").get_data(as_text=True)


def test_actions_without_the_csrf_token_are_refused_and_change_nothing(client, db_path, centre, sam, lead):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 5)])
    task = short_pick(client, sam, found=2)
    before = dump(db_path)
    answer = client.post(f"/exceptions/tasks/{task['task_id']}/release",
                         data={"location": "C-01-01", "reason": "forged"})
    assert answer.status_code == 400 and dump(db_path) == before


def test_dead_letters_are_discarded_with_a_reason_or_refused_replay(client, db_path, lead):
    SqliteInboxStore(db_path).dead_letter("wes/v1/DC01/down/ack", b'{"not": "an ack"}', "ack schema: site missing")
    page = client.get("/exceptions").get_data(as_text=True)
    assert "on wes/v1/DC01/down/ack" in page and "ack schema: site missing" in page
    (letter_id,) = row(db_path, "SELECT id FROM sync_dead_letters")
    before = dump(db_path)
    replay = client.post(f"/exceptions/dead-letters/{letter_id}/replay", data={"csrf_token": lead})
    assert replay.status_code == 409 and "are not replayed" in replay.get_data(as_text=True)
    no_reason = client.post(f"/exceptions/dead-letters/{letter_id}/discard", data={"csrf_token": lead, "reason": ""})
    assert no_reason.status_code == 422 and dump(db_path) == before
    discard = client.post(f"/exceptions/dead-letters/{letter_id}/discard",
                          data={"csrf_token": lead, "reason": "stale ack from a test broker"})
    assert discard.status_code == 303
    assert row(db_path, "SELECT status, resolved_by FROM sync_dead_letters") == ("discarded", "maria")
    assert "on wes/v1/DC01/down/ack" not in client.get("/exceptions").get_data(as_text=True)
