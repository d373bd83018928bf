"""Cycle counts through the edge API on a real SQLite file: blind count, recount, approval, freeze (issue 9)."""
import pytest

from edge_api_support import add_login, dump, log_in, op, outbox, stock
from dashboard_support import at_location, row, take_task


@pytest.fixture
def lead(client, db_path) -> str:
    add_login(db_path, "maria", "lead")
    return log_in(client, "maria")


def as_lead(token: str) -> dict:
    return {"X-CSRFToken": token, "Accept": "application/json"}


def schedule(client, lead, locations, reason="weekly count") -> list[str]:
    answer = client.post("/api/v1/counts", json={"locations": locations, "reason": reason}, headers=as_lead(lead))
    assert answer.status_code == 201, answer.json
    return answer.json["counts"]


def thresholds(client, lead, recount=(2, 5.0), approval=(2, 5.0)) -> None:
    answer = client.put("/api/v1/count-settings", headers=as_lead(lead), json={
        "recount_units": recount[0], "recount_pct": recount[1], "approval_units": approval[0],
        "approval_pct": approval[1]})
    assert answer.status_code == 200, answer.json


def next_count(client, picker) -> dict | None:
    answer = client.get("/api/v1/counts/next", headers=picker)
    assert answer.status_code == 200, answer.json
    return answer.json["count"]


def submit(client, picker, count: dict, lines=(), empty=False, location=None):
    return client.post(f"/api/v1/counts/{count['count_id']}/submit", headers=picker, json={
        "op_id": op(), "location_barcode": location or count["location_barcode"], "empty": empty,
        "lines": [{"barcode": b, "qty": q} for b, q in lines], "lease_epoch": count["lease_epoch"]})


def test_a_confirmed_variance_is_approved_by_the_lead_and_booked_once(client, db_path, sam, alex, lead):
    thresholds(client, lead)
    schedule(client, lead, ["A-02-01"])  # 300 tea towels on record
    first = next_count(client, sam)
    assert set(first) == {"count_id", "location", "location_barcode", "origin", "status", "lease_epoch"}  # blind
    assert submit(client, sam, first, [("SKU-TEA-TOWEL", 290)]).json["status"] == "recounted"
    assert next_count(client, sam) is None  # the recount is for someone else
    recount = next_count(client, alex)
    assert recount["origin"] == "recount"
    answer = submit(client, alex, recount, [("SKU-TEA-TOWEL", 200), ("SKU-TEA-TOWEL", 90)])
    assert answer.json["status"] == "awaiting_approval" and "lead" in answer.json["message"]
    waiting = client.get("/api/v1/counts?status=awaiting_approval", headers=as_lead(lead)).json["counts"]
    assert [(c["count_id"], c["lines"][0]["variance"]) for c in waiting] == [(recount["count_id"], -10)]
    seq = outbox(db_path)[-1]["seq"]
    approve = f"/api/v1/counts/{recount['count_id']}/approve"
    assert client.post(approve, json={"reason": "recounted, towels damaged"}, headers=as_lead(lead)).status_code == 200
    assert [(e["type"], e["data"]) for e in outbox(db_path, seq)] == [("stock.changed", {
        "location": "A-02-01", "sku": "SKU-TEA-TOWEL", "qty_delta": -10, "reason": "count",
        "ref": recount["count_id"], "lot": ""})]
    assert stock(db_path)[("A-02-01", "SKU-TEA-TOWEL")] == 290
    before = dump(db_path)
    again = client.post(approve, json={"reason": "twice"}, headers=as_lead(lead))
    assert (again.status_code, again.json["error"]) == (409, "not_awaiting_approval")
    assert dump(db_path) == before


def test_a_rejected_variance_creates_nothing(client, db_path, sam, lead):
    thresholds(client, lead, recount=(1000, 100.0), approval=(0, 0.0))
    schedule(client, lead, ["B-01-01"])
    count = next_count(client, sam)
    assert submit(client, sam, count, empty=True).json["status"] == "awaiting_approval"
    seq = outbox(db_path)[-1]["seq"]
    answer = client.post(f"/api/v1/counts/{count['count_id']}/reject", json={"reason": "kettles are on the dock"},
                         headers=as_lead(lead))
    assert answer.json["status"] == "rejected"
    assert outbox(db_path, seq) == [] and stock(db_path)[("B-01-01", "SKU-KETTLE")] == 120
    assert row(db_path, "SELECT actor, action, reason FROM audit_log ORDER BY id DESC LIMIT 1") == (
        "maria", "count.rejected", "kettles are on the dock")


def test_picks_between_count_and_approval_are_not_counted_twice(client, db_path, centre, sam, alex, lead):
    thresholds(client, lead, recount=(1000, 100.0), approval=(0, 0.0))
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])  # the centre sent the item: its GTIN is known
    schedule(client, lead, ["A-01-01"])
    count = next_count(client, sam)
    assert submit(client, sam, count, [("05012345678900", 395)]).status_code == 200  # 400 on record
    task = take_task(client, alex)
    at_location(client, alex, task)
    client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=alex,
                json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 3})
    assert stock(db_path)[("A-01-01", "SKU-BLUE-MUG")] == 397
    approve = client.post(f"/api/v1/counts/{count['count_id']}/approve", json={"reason": "counted twice"},
                          headers=as_lead(lead))
    assert approve.status_code == 200, approve.json
    assert stock(db_path)[("A-01-01", "SKU-BLUE-MUG")] == 392  # 395 counted, 3 picked since


def test_picks_wait_while_their_location_is_counted_and_counts_wait_for_picks(client, centre, sam, alex, lead):
    schedule(client, lead, ["A-01-01"])
    count = next_count(client, sam)
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    assert client.get("/api/v1/tasks/next", headers=alex).json["task"] is None
    assert client.get("/api/v1/tasks/mine", headers=alex).json["tasks"] == []
    submit(client, sam, count, [("SKU-BLUE-MUG", 400)])
    task = take_task(client, alex)
    assert task["location"] == "A-01-01"
    schedule(client, lead, ["A-01-01"], reason="again")
    assert next_count(client, sam) is None  # Alex is picking there


def test_a_short_pick_schedules_a_count_of_its_location(client, db_path, centre, sam, lead):
    centre.allocate("SO-1", [("SKU-KETTLE", 4)])
    task = take_task(client, sam)
    at_location(client, sam, task)
    client.post(f"/api/v1/tasks/{task['task_id']}/short", headers=sam,
                json={"op_id": op(), "qty_found": 1, "reason": "slot empty"})
    assert row(db_path, "SELECT location, origin, status FROM count_tasks") == ("B-01-01", "short_pick", "open")


@pytest.mark.parametrize("body, error", [
    ({"location_barcode": "LOC-B-01-01", "lines": [{"barcode": "SKU-BLUE-MUG", "qty": 1}]}, "wrong_location"),
    ({"location_barcode": "LOC-A-01-01", "lines": [{"barcode": "SKU-NOPE", "qty": 1}]}, "unknown_item"),
    ({"location_barcode": "LOC-A-01-01", "lines": []}, "count_needs_lines"),
    ({"location_barcode": "LOC-A-01-01", "lines": [{"barcode": "SKU-BLUE-MUG", "qty": -1}]}, "invalid_input"),
    ({"location_barcode": "LOC-A-01-01", "empty": True, "lines": [{"barcode": "SKU-BLUE-MUG", "qty": 1}]},
     "empty_with_lines"),
    ({"location_barcode": "LOC-A-01-01", "lines": [{"barcode": "SKU-BLUE-MUG", "qty": 1}], "expected": 4},
     "invalid_input"),
    ({"location_barcode": "LOC-A-01-01", "lines": [{"barcode": "(01)05012345678900(17)2613", "qty": 1}]},
     "count_refused"),
])
def test_refused_counts_change_nothing(client, db_path, sam, lead, body, error):
    schedule(client, lead, ["A-01-01"])
    count = next_count(client, sam)
    before = dump(db_path)
    answer = client.post(f"/api/v1/counts/{count['count_id']}/submit", headers=sam, json={"op_id": op(), **body})
    assert 400 <= answer.status_code < 500 and answer.json["error"] == error, answer.json
    assert answer.json["message"]
    assert dump(db_path) == before


def test_lead_endpoints_need_a_lead_and_a_reason(client, db_path, sam, lead):
    before = dump(db_path)
    no_reason = client.post("/api/v1/counts", json={"locations": ["A-01-01"]}, headers=as_lead(lead))
    unknown = client.post("/api/v1/counts", json={"locations": ["Z-99"], "reason": "look"}, headers=as_lead(lead))
    no_csrf = client.post("/api/v1/counts", json={"locations": ["A-01-01"], "reason": "look"},
                          headers={"Accept": "application/json"})
    assert (no_reason.status_code, unknown.status_code, unknown.json["error"]) == (422, 422, "nothing_to_count")
    assert no_csrf.status_code in (400, 403)
    assert dump(db_path) == before
    zone = client.post("/api/v1/counts", json={"zone": "B", "reason": "zone B"}, headers=as_lead(lead))
    assert len(zone.json["counts"]) == 3
