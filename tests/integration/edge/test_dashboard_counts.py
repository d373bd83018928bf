"""The /counts page: variances waiting for approval, approve/reject with a reason (audited), open replenishments."""
import pytest

from edge_api_support import add_login, dump, log_in, op, stock
from dashboard_support import audit_actions


@pytest.fixture
def lead(client, db_path) -> str:
    add_login(db_path, "maria", "lead")
    return log_in(client, "maria")


def counted_with_variance(client, lead, picker) -> str:
    """Count B-01-02 (150 teapots on record) as 140, past the recount, so it waits for the lead."""
    client.put("/api/v1/count-settings", headers={"X-CSRFToken": lead}, json={
        "recount_units": 1000, "recount_pct": 100, "approval_units": 2, "approval_pct": 5})
    answer = client.post("/counts/schedule", data={"csrf_token": lead, "locations": "B-01-02", "reason": "cycle"})
    assert answer.status_code == 303
    count = client.get("/api/v1/counts/next", headers=picker).json["count"]
    answer = client.post(f"/api/v1/counts/{count['count_id']}/submit", headers=picker, json={
        "op_id": op(), "location_barcode": "LOC-B-01-02", "lines": [{"barcode": "SKU-TEAPOT", "qty": 140}]})
    assert answer.json["status"] == "awaiting_approval"
    return count["count_id"]


def test_the_lead_sees_the_variance_and_approves_it_with_a_reason(client, db_path, sam, lead):
    count_id = counted_with_variance(client, lead, sam)
    html = client.get("/counts").get_data(as_text=True)
    assert f'data-count="{count_id}"' in html and "<td>150</td><td>140</td><td>-10</td>" in html
    assert 'href="/counts"' in html  # the nav link
    answer = client.post(f"/counts/{count_id}/approve", data={"csrf_token": lead, "reason": "ten broken"})
    assert answer.status_code == 303
    assert stock(db_path)[("B-01-02", "SKU-TEAPOT")] == 140
    assert audit_actions(db_path)[-1] == ("maria", "count.approved", f"count:{count_id}", "ten broken")
    assert f'data-count="{count_id}"' not in client.get("/counts").get_data(as_text=True)


def test_a_decision_without_a_reason_or_by_a_picker_changes_nothing(client, db_path, sam, lead):
    count_id = counted_with_variance(client, lead, sam)
    before = dump(db_path)
    answer = client.post(f"/counts/{count_id}/reject", data={"csrf_token": lead, "reason": ""})
    assert answer.status_code == 422 and "reason" in answer.get_data(as_text=True).lower()
    assert dump(db_path) == before
    add_login(db_path, "pat", "picker")
    other = client.application.test_client()
    token = log_in(other, "pat")
    before = dump(db_path)
    assert other.post(f"/counts/{count_id}/approve", data={"csrf_token": token, "reason": "me"}).status_code == 403
    assert other.get("/counts").status_code == 403
    assert dump(db_path) == before


def test_open_replenishments_are_listed_with_the_picks_waiting(client, db_path, centre, sam, lead):
    answer = client.put("/api/v1/pick-faces", headers={"X-CSRFToken": lead},
                        json={"faces": [{"location": "A-01-01", "sku": "SKU-BLUE-MUG", "min": 401, "max": 420}]})
    assert answer.json["replenishments"], answer.json  # 400 on hand is under the new min
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2)])
    html = client.get("/counts").get_data(as_text=True)
    assert "<td>A-01-01</td><td>SKU-BLUE-MUG</td><td>401</td><td>420</td><td>400</td>" in html
    assert ("<td>SKU-BLUE-MUG</td><td>C-01-01</td><td>A-01-01</td><td>20</td><td>below min</td><td>open</td>"
            "<td>1</td>") in html


def test_withdrawing_a_handed_out_count_frees_the_picks_it_held(client, db_path, centre, sam, alex, lead):
    client.post("/counts/schedule", data={"csrf_token": lead, "locations": "A-01-01", "reason": "cycle"})
    count = client.get("/api/v1/counts/next", headers=sam).json["count"]
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2)])
    assert client.get("/api/v1/tasks/next", headers=alex).json["task"] is None
    before = dump(db_path)
    assert client.post(f"/counts/{count['count_id']}/cancel", data={"csrf_token": lead}).status_code == 422
    assert dump(db_path) == before
    answer = client.post(f"/counts/{count['count_id']}/cancel", data={"csrf_token": lead, "reason": "Sam went home"})
    assert answer.status_code == 303
    assert client.get("/api/v1/tasks/next", headers=alex).json["task"]["location"] == "A-01-01"
    assert audit_actions(db_path)[-1] == ("maria", "count.cancelled", f"count:{count['count_id']}", "Sam went home")
    late = client.post(f"/api/v1/counts/{count['count_id']}/submit", headers=sam, json={
        "op_id": op(), "location_barcode": "LOC-A-01-01", "lines": [{"barcode": "SKU-BLUE-MUG", "qty": 400}]})
    assert (late.status_code, late.json["error"]) == (409, "count_closed")
