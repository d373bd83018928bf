"""Verification profiles set by the lead (API and dashboard page, CSRF, audited) and enforced on confirm."""
import pytest

from edge_api_support import add_login, dump, log_in, op
from dashboard_support import audit_actions


@pytest.fixture
def lead(client, db_path) -> str:
    add_login(db_path, "maria", "lead")
    return log_in(client, "maria")


def at_location(client, picker) -> dict:
    task = client.get("/api/v1/tasks/next", headers=picker).json["task"]
    if task["next_step"] == "scan_location":
        answer = client.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=picker,
                             json={"op_id": op(), "barcode": task["location_barcode"]})
        assert answer.status_code == 200, answer.json
    return task


def test_the_lead_sets_a_zone_profile_and_the_edge_refuses_a_pick_without_its_scans(client, db_path, centre, sam,
                                                                                   lead):
    answer = client.put("/api/v1/verification-profiles/zone/A", headers={"X-CSRFToken": lead},
                        json={"requires": ["location", "item", "quantity"], "reason": "high value zone"})
    assert answer.status_code == 200, answer.json
    assert answer.json["profiles"] == [{"scope": "zone", "name": "A", "requires": ["item", "location", "quantity"]}]
    assert audit_actions(db_path)[-1] == ("maria", "verification_profile.set", "verification:zone:A",
                                          "high value zone")
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2)])
    task = at_location(client, sam)
    assert task["requires"] == ["location", "item", "quantity"]
    before = dump(db_path, skip=("refused_ops",))
    refused = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=sam,
                          json={"op_id": op(), "barcode": "05012345678900", "qty": 2})
    assert (refused.status_code, refused.json["error"]) == (422, "scan_required")
    assert refused.json["message"] == "This pick needs the quantity confirmed: type how many you took, then confirm."
    assert dump(db_path, skip=("refused_ops",)) == before
    ok = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=sam,
                     json={"op_id": op(), "barcode": "05012345678900", "qty": 2, "qty_confirmed": True})
    assert ok.status_code == 200, ok.json


def test_a_site_default_without_location_lets_the_picker_go_straight_to_the_item(client, db_path, centre, sam,
                                                                                 lead):
    client.put("/api/v1/verification-profiles/site", headers={"X-CSRFToken": lead}, json={"requires": ["item"]})
    centre.allocate("SO-1", [("SKU-TEAPOT", 1)])
    answer = client.get("/api/v1/tasks/next", headers=sam).json
    task = answer["task"]
    assert (task["next_step"], task["requires"]) == ("scan_item", ["item"])
    assert answer["message"] == "Go to B-01-02 and scan the item: 1 x SKU-TEAPOT."
    ok = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=sam,
                     json={"op_id": op(), "barcode": "SKU-TEAPOT", "qty": 1})
    assert ok.status_code == 200 and ok.json["task"]["status"] == "picked"


def test_bad_profiles_no_csrf_or_a_picker_login_change_nothing(client, db_path, lead):
    before = dump(db_path)
    for path, body in (("/api/v1/verification-profiles/zone/A", {"requires": ["weight"]}),
                       ("/api/v1/verification-profiles/shelf/A", {"requires": ["item"]}),
                       ("/api/v1/verification-profiles/site", {"requires": "item"}),
                       ("/api/v1/lot-policy", {"substitution": "any", "timezone": "UTC"})):
        answer = client.put(path, headers={"X-CSRFToken": lead}, json=body)
        assert 400 <= answer.status_code < 500 and answer.json["message"], (path, answer.json)
    zone = client.put("/api/v1/lot-policy", headers={"X-CSRFToken": lead},
                      json={"substitution": "none", "timezone": "Mars/Olympus"})
    assert (zone.status_code, zone.json["error"]) == (422, "bad_lot_policy")
    no_csrf = client.put("/api/v1/verification-profiles/site", json={"requires": ["item"]})
    assert no_csrf.status_code in (400, 403)
    add_login(db_path, "pat", "picker")
    other = client.application.test_client()
    token = log_in(other, "pat")
    assert other.put("/api/v1/verification-profiles/site", headers={"X-CSRFToken": token},
                     json={"requires": ["item"]}).status_code == 403
    assert other.get("/verification").status_code == 403
    assert dump(db_path, skip=("staff", "audit_log")) == {k: v for k, v in before.items()
                                                           if k not in ("staff", "audit_log")}


def test_the_scans_and_lots_page_sets_profiles_classes_and_lot_rules(client, db_path, lead):
    html = client.get("/verification").get_data(as_text=True)
    assert "No profile set: every pick needs the location and the item scanned" in html
    assert 'href="/verification"' in html  # the nav link
    answer = client.post("/verification/profiles", data={"csrf_token": lead, "scope": "item_class",
                                                         "name": "fragile", "requires": ["location", "item", "serial"],
                                                         "reason": "breakages"})
    assert answer.status_code == 303
    assert client.post("/verification/item-classes", data={"csrf_token": lead, "sku": "SKU-TEAPOT",
                                                           "item_class": "fragile"}).status_code == 422  # unknown here
    assert client.post("/verification/lot-policy", data={"csrf_token": lead, "substitution": "same_or_earlier_expiry",
                                                         "timezone": "Europe/London", "reason": "FEFO ok"}
                       ).status_code == 303
    html = client.get("/verification").get_data(as_text=True)
    assert "<td>item class</td><td>fragile</td><td>item, location, serial</td>" in html
    assert 'value="same_or_earlier_expiry" selected' in html and 'value="Europe/London"' in html
    assert [a[1] for a in audit_actions(db_path)[-2:]] == ["verification_profile.set", "lot_policy.set"]
    refused = client.post("/verification/profiles", data={"csrf_token": lead, "scope": "zone", "name": "",
                                                          "requires": ["item"]})
    assert refused.status_code == 422 and "needs one" in refused.get_data(as_text=True)


def test_a_profile_removed_over_the_api_falls_back_to_the_next_one(client, db_path, centre, sam, lead):
    csrf = {"X-CSRFToken": lead}
    client.put("/api/v1/verification-profiles/site", headers=csrf, json={"requires": ["location", "item", "quantity"]})
    client.put("/api/v1/verification-profiles/zone/A", headers=csrf, json={"requires": ["item"]})
    removed = client.delete("/api/v1/verification-profiles/zone/A", headers=csrf, json={"reason": "trial over"})
    assert removed.status_code == 200 and removed.json["profiles"] == [
        {"scope": "site", "name": "", "requires": ["item", "location", "quantity"]}]
    again = client.delete("/api/v1/verification-profiles/zone/A", headers=csrf, json={})
    assert (again.status_code, again.json["error"]) == (404, "unknown_profile")
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 1)])
    assert client.get("/api/v1/tasks/next", headers=sam).json["task"]["requires"] == ["location", "item", "quantity"]
    assert audit_actions(db_path)[-1] == ("maria", "verification_profile.deleted", "verification:zone:A", "trial over")
    no_csrf = client.delete("/api/v1/verification-profiles/site", json={})
    assert no_csrf.status_code == 400 and no_csrf.json["message"]
