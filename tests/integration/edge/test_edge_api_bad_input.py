"""Bad requests get a clear 4xx in the one error shape and change nothing (wrong scans change only their count)."""
import json

import pytest

from edge_api_support import dump, op, outbox
from dashboard_support import row
from edge.web import create_app

ERROR_KEYS = {"code", "status", "error", "message"}


@pytest.fixture
def at_location(client, centre, sam) -> str:
    """Sam holds a task for 3 blue mugs at A-01-01 and has scanned the location."""
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    task_id = client.get("/api/v1/tasks/next", headers=sam).json["task"]["task_id"]
    assert client.post(f"/api/v1/tasks/{task_id}/location-scan", headers=sam,
                       json={"op_id": op(), "barcode": "LOC-A-01-01"}).status_code == 200
    return task_id


def assert_error(response, status: int, error: str) -> None:
    assert response.status_code == status, response.json
    assert ERROR_KEYS <= set(response.json) and response.json["code"] == status
    assert response.json["error"] == error and response.json["message"]


@pytest.mark.parametrize("body, field", [
    ({"barcode": "SKU-BLUE-MUG", "qty": 1}, "op_id"),
    ({"op_id": "not-a-uuid", "barcode": "SKU-BLUE-MUG", "qty": 1}, "op_id"),
    ({"op_id": "OP", "barcode": "SKU-BLUE-MUG", "qty": "1"}, "qty"),
    ({"op_id": "OP", "barcode": "SKU-BLUE-MUG", "qty": True}, "qty"),
    ({"op_id": "OP", "barcode": "SKU-BLUE-MUG", "qty": 1.5}, "qty"),
    ({"op_id": "OP", "barcode": "SKU-BLUE-MUG", "qty": 0}, "qty"),
    ({"op_id": "OP", "barcode": 4006381333931, "qty": 1}, "barcode"),
    ({"op_id": "OP", "barcode": "SKU-BLUE-MUG", "qty": 1, "bin": "A-01-01"}, "bin"),
    ({"op_id": "OP", "barcode": "SKU-BLUE-MUG", "qty": 1, "scanned_at": "yesterday"}, "scanned_at"),
    ({"op_id": "OP", "barcode": "SKU-BLUE-MUG", "qty": 1, "scanned_at": "2025-03-03T09:00:00"}, "scanned_at"),
])
def test_invalid_pick_fields_are_named_and_change_nothing(client, db_path, sam, at_location, body, field):
    body = {k: (op() if v == "OP" else v) for k, v in body.items()}
    before = dump(db_path)
    response = client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam, json=body)
    assert_error(response, 422, "invalid_input")
    assert field in response.json["errors"]
    assert dump(db_path) == before


@pytest.mark.parametrize("data, content_type, status, error", [
    ("{\"op_id\": ", "application/json", 400, "bad_json"),
    ("\xff\xfe", "application/json", 400, "bad_json"),
    ("[1, 2]", "application/json", 422, "invalid_input"),
    ("op_id=1&qty=1", "application/x-www-form-urlencoded", 422, "invalid_input"),
])
def test_malformed_bodies_are_refused(client, db_path, sam, at_location, data, content_type, status, error):
    before = dump(db_path)
    response = client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam, data=data, content_type=content_type)
    assert_error(response, status, error)
    assert dump(db_path) == before


def test_oversized_body_is_refused_with_413(client, db_path, sam, at_location):
    before = dump(db_path)
    body = json.dumps({"op_id": op(), "barcode": "X" * (300 * 1024), "qty": 1})
    response = client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam, data=body,
                           content_type="application/json")
    assert_error(response, 413, "too_large")
    assert dump(db_path) == before


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-real-token"}, {"Authorization": "Basic x"}])
def test_missing_or_bad_token_is_401_before_the_body_is_read(client, db_path, at_location, headers):
    before = dump(db_path)
    response = client.post(f"/api/v1/tasks/{at_location}/picks", headers=headers, data="{broken",
                           content_type="application/json")
    assert_error(response, 401, "not_signed_in")
    assert_error(client.get("/api/v1/tasks/next", headers=headers), 401, "not_signed_in")
    assert dump(db_path) == before


def test_wrong_badge_or_pin_cannot_sign_in(client, db_path):
    before = dump(db_path)
    for badge, pin in (("BADGE-0001", "0000"), ("BADGE-9999", "1234")):
        response = client.post("/api/v1/sessions", json={"badge": badge, "pin": pin, "device_id": "HH-01"})
        assert_error(response, 401, "sign_in_failed")
        assert response.json["message"] == ("Badge or PIN not recognised. "
                                            "Scan your badge again and re-enter your PIN.")
    assert dump(db_path) == before


def test_another_pickers_task_is_403_and_not_counted(client, db_path, alex, at_location):
    before = dump(db_path, skip=("refused_ops",))
    for step, body in (("location-scan", {"barcode": "LOC-B-01-01"}), ("picks", {"barcode": "X", "qty": 1}),
                       ("short", {"qty_found": 0, "reason": "gone"})):
        assert_error(client.post(f"/api/v1/tasks/{at_location}/{step}", headers=alex, json={"op_id": op(), **body}),
                     403, "not_your_task")
    # not_your_task is one of the refusals logged for the lead (refused_ops); nothing else changes
    assert dump(db_path, skip=("refused_ops",)) == before
    assert row(db_path, "SELECT COUNT(*), MIN(code), MIN(badge) FROM refused_ops") == (3, "not_your_task", "BADGE-0002")


def test_unknown_task_unknown_path_and_wrong_method(client, db_path, sam, at_location):
    before = dump(db_path)
    assert_error(client.post("/api/v1/tasks/DC01-T999999/picks", headers=sam,
                             json={"op_id": op(), "barcode": "X", "qty": 1}), 404, "unknown_task")
    assert_error(client.get("/api/v1/nothing-here", headers=sam), 404, "not_found")
    assert_error(client.delete(f"/api/v1/tasks/{at_location}/picks", headers=sam), 405, "method_not_allowed")
    assert_error(client.get("/api/v1/orders?status=lost", headers=sam), 422, "invalid_input")
    assert dump(db_path) == before


def test_too_many_changes_nothing(client, db_path, sam, at_location):
    before = dump(db_path)
    response = client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam,
                           json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 4})
    assert_error(response, 422, "too_many")
    assert "only 3 left" in response.json["message"]
    assert dump(db_path) == before


def test_picking_more_than_the_shelf_holds_asks_for_a_short_pick(client, db_path, centre, sam):
    centre.allocate("SO-2", [("SKU-KETTLE", 121)])  # 120 on the shelf: the task carries the remainder
    task_id = client.get("/api/v1/tasks/next", headers=sam).json["task"]["task_id"]
    client.post(f"/api/v1/tasks/{task_id}/location-scan", headers=sam, json={"op_id": op(), "barcode": "B-01-01"})
    before = dump(db_path)
    response = client.post(f"/api/v1/tasks/{task_id}/picks", headers=sam,
                           json={"op_id": op(), "barcode": "05012345678931", "qty": 121})
    assert_error(response, 409, "not_enough_stock")
    assert "short pick" in response.json["message"]
    assert dump(db_path) == before


def test_item_scan_before_location_scan_is_refused(client, db_path, centre, sam):
    centre.allocate("SO-1", [("SKU-KETTLE", 1)])
    task_id = client.get("/api/v1/tasks/next", headers=sam).json["task"]["task_id"]
    before = dump(db_path)
    assert_error(client.post(f"/api/v1/tasks/{task_id}/picks", headers=sam,
                             json={"op_id": op(), "barcode": "SKU-KETTLE", "qty": 1}), 409, "scan_location_first")
    assert dump(db_path) == before


def counted_tables(db_path: str) -> dict:
    """Everything except what a refused scan is allowed to add: its count, its event and its op record."""
    tables = dump(db_path)
    return {k: v for k, v in tables.items() if k not in ("scan_errors", "sync_outbox", "ops")}


@pytest.mark.parametrize("step, body, error, expected", [
    ("location-scan", {"barcode": "LOC-C-01-01"}, "wrong_location", "A-01-01"),
    ("picks", {"barcode": "5012345678917", "qty": 1}, "wrong_item", "SKU-BLUE-MUG"),
])
def test_wrong_scan_is_counted_once_even_when_replayed(client, db_path, sam, at_location, step, body, error,
                                                       expected):
    before, depth = counted_tables(db_path), len(outbox(db_path))
    request = {"op_id": op(), **body}
    first = client.post(f"/api/v1/tasks/{at_location}/{step}", headers=sam, json=request)
    assert_error(first, 409, error)
    after_first = dump(db_path)
    replay = client.post(f"/api/v1/tasks/{at_location}/{step}", headers=sam, json=request)
    assert (replay.status_code, replay.json, replay.headers.get("Idempotent-Replayed")) == (409, first.json, "true")
    assert dump(db_path) == after_first and counted_tables(db_path) == before
    events = outbox(db_path)[depth:]
    assert [(e["type"], e["data"]["expected"], e["data"]["scanned"]) for e in events] == [
        ("scan.rejected", expected, body["barcode"])]
    assert len(dump(db_path)["scan_errors"]) == 1
    assert client.get("/api/v1/metrics", headers=sam).json["scans_rejected"] == 1


def test_replayed_pick_gets_the_first_answer_and_changes_nothing(client, db_path, sam, at_location):
    request = {"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 1}
    first = client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam, json=request)
    assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
    after_first = dump(db_path)
    replay = client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam, json=request)
    assert (replay.status_code, replay.json, replay.headers["Idempotent-Replayed"]) == (200, first.json, "true")
    assert dump(db_path) == after_first
    assert client.get("/api/v1/metrics", headers=sam).json["units_picked"] == 1


def test_op_id_reused_with_another_body_or_by_another_picker_is_409(client, db_path, sam, alex, at_location):
    request = {"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 1}
    client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam, json=request)
    before = dump(db_path)
    assert_error(client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam, json={**request, "qty": 2}),
                 409, "op_id_reused")
    assert_error(client.post(f"/api/v1/tasks/{at_location}/picks", headers=alex, json=request),
                 409, "op_id_reused")
    assert_error(client.post("/api/v1/orders/SO-1/cartons", headers=sam, json={"op_id": request["op_id"]}),
                 409, "op_id_reused")
    assert dump(db_path) == before


def test_sync_not_configured_says_so(db_path):
    client = create_app({"SITE_ID": "DC01", "DB_PATH": db_path, "TESTING": True, "DEVICE_AUTH": "optional"}).test_client()
    assert client.get("/api/v1/sync").json == {"configured": False}
