"""Hostile requests: deep JSON, SQL-looking text, forged and revoked tokens, another site's ids. Each is refused
with the one error shape (or treated as plain data) and changes nothing."""
import pytest

from edge_api_support import dump, op
from edge.bootstrap import create_enrolment_code, revoke_device
from edge.web import create_app

ERROR_KEYS = {"code", "status", "error", "message"}


@pytest.fixture
def at_location(client, centre, sam) -> str:
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    task_id = client.get("/api/v1/tasks/next", headers=sam).json["task"]["task_id"]
    assert client.post(f"/api/v1/tasks/{task_id}/location-scan", headers=sam,
                       json={"op_id": op(), "barcode": "LOC-A-01-01"}).status_code == 200
    return task_id


def refused(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert ERROR_KEYS <= set(response.json) and response.json["message"]
    return response.json


@pytest.mark.parametrize("depth", [50, 5_000, 100_000])
def test_deeply_nested_json_is_refused_not_crashed(client, db_path, sam, at_location, depth):
    before = dump(db_path)
    body = '{"op_id": "%s", "barcode": "SKU-BLUE-MUG", "qty": %s}' % (op(), "[" * depth + "]" * depth)
    answer = client.post(f"/api/v1/tasks/{at_location}/picks", data=body, headers=sam,
                         content_type="application/json")
    assert answer.status_code in (400, 413, 422)
    refused(answer, answer.status_code)
    assert dump(db_path) == before


@pytest.mark.parametrize("text", ["' OR 1=1 --", "SKU-BLUE-MUG'; DROP TABLE stock; --", "\" UNION SELECT * FROM ops",
                                  "LOC-A-01-01\x00", "%00%27", "A" * 128])
def test_sql_looking_scans_are_only_wrong_scans(client, db_path, sam, at_location, text):
    before_tables = set(dump(db_path))
    answer = client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam,
                         json={"op_id": op(), "barcode": text, "qty": 1})
    assert refused(answer, 409)["error"] == "wrong_item"
    assert set(dump(db_path)) == before_tables and dump(db_path)["stock"]


@pytest.mark.parametrize("headers", [
    {"Authorization": "Bearer " + "A" * 43},
    {"Authorization": "Bearer ' OR '1'='1"},
    {"Authorization": "Basic c2FtOjEyMzQ="},
    {"Authorization": "Bearer"},
])
def test_forged_session_tokens_are_401_and_change_nothing(client, db_path, at_location, headers):
    before = dump(db_path)
    answer = client.post(f"/api/v1/tasks/{at_location}/picks", headers=headers,
                         json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 1})
    assert refused(answer, 401)["error"] == "not_signed_in"
    assert dump(db_path) == before


@pytest.fixture
def strict_client(db_path):
    """The edge as served: every handheld call needs an enrolled device's token."""
    return create_app({"SITE_ID": "DC01", "DB_PATH": db_path, "TESTING": True}).test_client()


def enrol(client, db_path, device_id: str) -> dict:
    code = create_enrolment_code(db_path, "DC01")["enrolment_code"]
    token = client.post("/api/v1/devices", json={"enrolment_code": code, "device_id": device_id}).json["device_token"]
    headers = {"X-Device-Token": token}
    session = client.post("/api/v1/sessions", headers=headers,
                          json={"badge": "BADGE-0001", "pin": "1234", "device_id": device_id}).json["token"]
    return {**headers, "Authorization": f"Bearer {session}"}


@pytest.mark.parametrize("token", ["DC02.not-a-real-token", "DC01." + "x" * 40, "garbage"])
def test_forged_or_foreign_device_tokens_are_refused(strict_client, db_path, token):
    before = dump(db_path)
    answer = strict_client.post("/api/v1/sessions", headers={"X-Device-Token": token},
                                json={"badge": "BADGE-0001", "pin": "1234", "device_id": "HH-01"})
    assert answer.status_code in (401, 403)
    refused(answer, answer.status_code)
    assert dump(db_path) == before


def test_a_revoked_device_is_refused_even_with_a_live_session(strict_client, db_path, centre):
    headers = enrol(strict_client, db_path, "HH-07")
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    assert strict_client.get("/api/v1/tasks/next", headers=headers).status_code == 200
    revoke_device(db_path, "DC01", "HH-07")
    before = dump(db_path)
    answer = strict_client.get("/api/v1/tasks/next", headers=headers)
    assert refused(answer, answer.status_code)["error"] in ("device_revoked", "not_enrolled")
    assert dump(db_path) == before


def test_a_session_used_from_another_device_is_refused(strict_client, db_path, centre):
    first = enrol(strict_client, db_path, "HH-01")
    second = enrol(strict_client, db_path, "HH-02")
    stolen = {"X-Device-Token": second["X-Device-Token"], "Authorization": first["Authorization"]}
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    before = dump(db_path)
    answer = strict_client.get("/api/v1/tasks/next", headers=stolen)
    assert answer.status_code in (401, 403)
    refused(answer, answer.status_code)
    assert dump(db_path) == before


@pytest.mark.parametrize("task_id", ["DC02-SO-1-1", "../../etc/passwd", "T" * 300, "%27%20OR%201%3D1"])
def test_unknown_or_foreign_task_ids_are_404_and_change_nothing(client, db_path, sam, at_location, task_id):
    before = dump(db_path)
    answer = client.post(f"/api/v1/tasks/{task_id}/picks", headers=sam,
                         json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 1})
    assert answer.status_code == 404
    refused(answer, 404)
    assert dump(db_path) == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          "application/xml"])
def test_wrong_content_types_are_refused(client, db_path, sam, at_location, content_type):
    before = dump(db_path)
    answer = client.post(f"/api/v1/tasks/{at_location}/picks", headers=sam, content_type=content_type,
                         data='{"op_id": "%s", "barcode": "SKU-BLUE-MUG", "qty": 1}' % op())
    assert 400 <= answer.status_code < 500
    refused(answer, answer.status_code)
    assert dump(db_path) == before
