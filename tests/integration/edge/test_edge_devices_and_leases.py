"""Handheld enrolment, device tokens, task leases with fencing, postpone, and the short pick's alternative."""
import pytest

from edge_api_support import dump, op
from edge.adapters.sqlite_uow import SqliteUnitOfWork
from edge.bootstrap import create_enrolment_code, revoke_device
from edge.service.messagebus import MessageBus
from edge.web import create_app


class Clock:
    """A settable edge clock, so a lease can run out inside a test."""

    def __init__(self, now: str = "2025-03-03T09:00:00.000+00:00"):
        self.now = now

    def __call__(self) -> str:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def strict(db_path, clock):
    """An edge that refuses every handheld call without an enrolled device."""
    bus = MessageBus(lambda: SqliteUnitOfWork(db_path, clock=clock))
    app = create_app({"SITE_ID": "DC01", "DB_PATH": db_path, "TESTING": True, "DEVICE_AUTH": "required",
                      "LEASE_MINUTES": 30}, bus=bus)
    return app.test_client()


def enrol(client, db_path, device_id="HH-07") -> str:
    code = create_enrolment_code(db_path, "DC01", 60)["enrolment_code"]
    response = client.post("/api/v1/devices", json={"enrolment_code": code, "device_id": device_id})
    assert response.status_code == 201, response.json
    assert response.json["site_id"] == "DC01"
    return response.json["device_token"]


def sign_in(client, token, badge="BADGE-0001", pin="1234", device_id="HH-07") -> dict:
    headers = {"X-Device-Token": token}
    response = client.post("/api/v1/sessions", headers=headers, json={"badge": badge, "pin": pin,
                                                                      "device_id": device_id})
    assert response.status_code == 201, response.json
    return dict(headers, Authorization=f"Bearer {response.json['token']}")


def test_enrolment_code_is_single_use_and_only_a_hash_is_stored(strict, db_path):
    code = create_enrolment_code(db_path, "DC01", 60)["enrolment_code"]
    first = strict.post("/api/v1/devices", json={"enrolment_code": code.lower(), "device_id": "HH-07"})
    assert first.status_code == 201
    token = first.json["device_token"]
    assert token.startswith("DC01.")
    before = dump(db_path)
    again = strict.post("/api/v1/devices", json={"enrolment_code": code, "device_id": "HH-08"})
    assert (again.status_code, again.json["error"]) == (403, "enrolment_code_refused")
    assert dump(db_path) == before
    stored = repr(before)
    assert token not in stored and code.replace("-", "") not in stored


def test_an_expired_code_is_refused(strict, db_path, clock):
    code = create_enrolment_code(db_path, "DC01", 60)["enrolment_code"]
    clock.now = "2999-01-01T00:00:00.000+00:00"
    response = strict.post("/api/v1/devices", json={"enrolment_code": code, "device_id": "HH-07"})
    assert (response.status_code, response.json["error"]) == (403, "enrolment_code_refused")


def test_sign_in_needs_an_enrolled_device(strict, db_path):
    body = {"badge": "BADGE-0001", "pin": "1234", "device_id": "HH-07"}
    before = dump(db_path)
    bare = strict.post("/api/v1/sessions", json=body)
    assert (bare.status_code, bare.json["error"]) == (401, "device_not_enrolled")
    bad = strict.post("/api/v1/sessions", json=body, headers={"X-Device-Token": "DC01.forged"})
    assert (bad.status_code, bad.json["error"]) == (401, "device_not_enrolled")
    other_site = strict.post("/api/v1/sessions", json=body, headers={"X-Device-Token": "DC02.abc"})
    assert (other_site.status_code, other_site.json["error"]) == (403, "device_wrong_site")
    assert "DC02" in other_site.json["message"]
    token = enrol(strict, db_path)
    someone_else = strict.post("/api/v1/sessions", json=dict(body, device_id="HH-99"),
                               headers={"X-Device-Token": token})
    assert (someone_else.status_code, someone_else.json["error"]) == (403, "device_mismatch")
    assert dump(db_path)["sessions"] == before["sessions"]


def test_every_call_needs_the_device_token_and_revocation_ends_it(strict, db_path, centre):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    headers = sign_in(strict, enrol(strict, db_path))
    assert strict.get("/api/v1/tasks/mine", headers=headers).status_code == 200
    no_device = strict.get("/api/v1/tasks/mine", headers={"Authorization": headers["Authorization"]})
    assert (no_device.status_code, no_device.json["error"]) == (401, "device_not_enrolled")

    other = enrol(strict, db_path, "HH-08")
    borrowed = strict.get("/api/v1/tasks/mine", headers=dict(headers, **{"X-Device-Token": other}))
    assert (borrowed.status_code, borrowed.json["error"]) == (403, "device_mismatch")

    assert revoke_device(db_path, "DC01", "HH-07")["changed"] is True
    refused = strict.get("/api/v1/tasks/mine", headers=headers)
    assert (refused.status_code, refused.json["error"]) == (403, "device_revoked")
    assert dump(db_path)["sessions"] == []  # HH-08 never signed in; HH-07's session ended with it


def test_tasks_mine_leases_several_tasks_with_expected_barcodes(strict, db_path, centre):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3), ("SKU-KETTLE", 1), ("SKU-TEAPOT", 2)])
    headers = sign_in(strict, enrol(strict, db_path))
    body = strict.get("/api/v1/tasks/mine?limit=2", headers=headers).json
    assert [t["sku"] for t in body["tasks"]] == ["SKU-BLUE-MUG", "SKU-KETTLE"]
    assert body["tasks"][0]["location_barcode"] == "LOC-A-01-01"
    assert body["tasks"][0]["item_barcodes"] == ["SKU-BLUE-MUG", "05012345678900"]
    assert {t["lease_epoch"] for t in body["tasks"]} == {1}
    assert body["lease_expires_at"] == "2025-03-03T09:30:00.000+00:00"
    more = strict.get("/api/v1/tasks/mine?limit=5", headers=headers).json["tasks"]
    assert [t["sku"] for t in more] == ["SKU-BLUE-MUG", "SKU-KETTLE", "SKU-TEAPOT"]
    assert [t["lease_epoch"] for t in more] == [1, 1, 1]  # renewing one's own lease keeps its epoch
    bad = strict.get("/api/v1/tasks/mine?limit=0", headers=headers)
    assert (bad.status_code, bad.json["error"]) == (422, "invalid_input")


def test_a_late_op_under_a_taken_over_lease_is_fenced(strict, db_path, centre, clock):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    sam = sign_in(strict, enrol(strict, db_path, "HH-07"), device_id="HH-07")
    alex = sign_in(strict, enrol(strict, db_path, "HH-08"), "BADGE-0002", "2345", "HH-08")
    task = strict.get("/api/v1/tasks/mine", headers=sam).json["tasks"][0]
    assert strict.get("/api/v1/tasks/mine", headers=alex).json["tasks"] == []  # Sam's lease still runs

    clock.now = "2025-03-03T10:00:00.000+00:00"  # Sam stayed in a dead zone past the lease
    taken = strict.get("/api/v1/tasks/mine", headers=alex).json["tasks"]
    assert [(t["task_id"], t["lease_epoch"]) for t in taken] == [(task["task_id"], 2)]

    before = dump(db_path, skip=("refused_ops",))  # lease_lost is logged for the lead there; nothing else changes
    late = strict.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=sam,
                       json={"op_id": op(), "barcode": "LOC-A-01-01", "lease_epoch": task["lease_epoch"]})
    assert (late.status_code, late.json["error"]) == (409, "lease_lost")
    assert dump(db_path, skip=("refused_ops",)) == before
    ok = strict.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=alex,
                     json={"op_id": op(), "barcode": "LOC-A-01-01", "lease_epoch": 2})
    assert ok.status_code == 200


def test_postpone_returns_the_task_to_the_pool_and_fences_its_lease(strict, db_path, centre):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3), ("SKU-KETTLE", 1)])
    headers = sign_in(strict, enrol(strict, db_path))
    first, second = strict.get("/api/v1/tasks/mine", headers=headers).json["tasks"]
    op_id = op()
    put_back = strict.post(f"/api/v1/tasks/{first['task_id']}/postpone", headers=headers,
                           json={"op_id": op_id, "reason": "blocked_aisle", "lease_epoch": 1})
    assert (put_back.status_code, put_back.json["task"]["status"]) == (200, "open")
    replay = strict.post(f"/api/v1/tasks/{first['task_id']}/postpone", headers=headers,
                         json={"op_id": op_id, "reason": "blocked_aisle", "lease_epoch": 1})
    assert (replay.status_code, replay.headers.get("Idempotent-Replayed")) == (200, "true")
    late = strict.post(f"/api/v1/tasks/{first['task_id']}/location-scan", headers=headers,
                       json={"op_id": op(), "barcode": "LOC-A-01-01", "lease_epoch": 1})
    assert late.json["error"] == "lease_lost"
    again = strict.get("/api/v1/tasks/mine", headers=headers).json["tasks"]
    assert [t["task_id"] for t in again] == [second["task_id"], first["task_id"]]  # postponed one last


def test_short_pick_offers_the_next_location_holding_the_sku(strict, db_path, centre):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    headers = sign_in(strict, enrol(strict, db_path))
    task = strict.get("/api/v1/tasks/mine", headers=headers).json["tasks"][0]
    strict.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=headers,
                json={"op_id": op(), "barcode": "LOC-A-01-01"})
    short = strict.post(f"/api/v1/tasks/{task['task_id']}/short", headers=headers,
                        json={"op_id": op(), "qty_found": 1, "reason": "not_found"})
    assert short.status_code == 200, short.json
    assert short.json["alternative"] == {"location": "C-01-01", "location_barcode": "LOC-C-01-01", "free": 100}
    assert "C-01-01" in short.json["message"]


def test_optional_device_auth_keeps_token_less_handhelds_working(client, db_path, centre):
    centre.allocate("SO-1", [("SKU-KETTLE", 1)])
    response = client.post("/api/v1/sessions", json={"badge": "BADGE-0001", "pin": "1234", "device_id": "HH-01"})
    assert response.status_code == 201
    headers = {"Authorization": f"Bearer {response.json['token']}"}
    assert len(client.get("/api/v1/tasks/mine", headers=headers).json["tasks"]) == 1
    forged = client.get("/api/v1/tasks/mine", headers=dict(headers, **{"X-Device-Token": "DC01.forged"}))
    assert forged.status_code == 401  # a token that is sent is always checked
