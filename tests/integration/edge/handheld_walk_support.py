"""A picker's walk through the hot handheld calls with the usual slips, to compare two ways of serving them."""
import sqlite3
import uuid

from edge.bootstrap import create_enrolment_code, revoke_device

OPS = [str(uuid.UUID(int=n)) for n in range(1, 20)]  # fixed op_ids, so both runs send the very same bodies


def walk(client, db_path) -> list:
    """A picker's walk with the usual slips: wrong label, replays, a reused op_id, odd bodies, a revoked device."""
    code = client.post("/api/v1/devices", json={"enrolment_code": enrolment_code(db_path), "device_id": "HH-09"})
    device = {"X-Device-Token": code.json["device_token"]}
    session = client.post("/api/v1/sessions", json={"badge": "BADGE-0001", "pin": "1234", "device_id": "HH-09"},
                          headers=device)
    assert session.status_code == 201, session.get_json()
    headers = {**device, "Authorization": f"Bearer {session.json['token']}"}
    seen = []

    def call(method, path, body=None, **extra):
        response = client.open(path, method=method, json=body, headers={**headers, **extra})
        seen.append((method, path, response.status_code, response.get_json(),
                     response.headers.get("Content-Type"), response.headers.get("Idempotent-Replayed")))
        return response.get_json()

    task = call("GET", "/api/v1/tasks/next")["task"]
    scan, picks = f"/api/v1/tasks/{task['task_id']}/location-scan", f"/api/v1/tasks/{task['task_id']}/picks"
    call("POST", picks, {"op_id": OPS[0], "barcode": "SKU-BLUE-MUG", "qty": 1})  # location not scanned yet
    call("POST", scan, {"op_id": OPS[1], "barcode": "LOC-B-01-01"})  # wrong label: counted refusal
    call("POST", scan, {"op_id": OPS[1], "barcode": "LOC-B-01-01"})  # its replay
    call("POST", scan, {"op_id": OPS[2], "barcode": task["location_barcode"], "scanned_at": "2025-03-03T09:00:00Z"})
    call("POST", picks, {"op_id": OPS[3], "barcode": "SKU-KETTLE", "qty": 1})  # wrong item
    call("POST", picks, {"op_id": OPS[4], "barcode": "SKU-BLUE-MUG", "qty": 1})
    call("POST", picks, {"op_id": OPS[4], "barcode": "SKU-BLUE-MUG", "qty": 1})  # replay: the first answer
    call("POST", picks, {"op_id": OPS[4], "barcode": "SKU-BLUE-MUG", "qty": 2})  # op_id reused: refused
    call("POST", picks, {"op_id": OPS[5], "barcode": "SKU-BLUE-MUG", "qty": 99})  # too many
    call("POST", picks, {"op_id": OPS[6], "barcode": "SKU-BLUE-MUG", "qty": "1"})  # wrong type: the schema's 422
    call("POST", picks, {"op_id": OPS[7], "barcode": "SKU-BLUE-MUG", "qty": 1, "colour": "blue"})  # unknown field
    call("POST", picks, {"op_id": OPS[8], "barcode": "SKU-BLUE-MUG", "qty": 1, "lease_epoch": 0})  # old lease
    call("POST", "/api/v1/tasks/NO-SUCH-TASK/picks", {"op_id": OPS[9], "barcode": "SKU-BLUE-MUG", "qty": 1})
    call("POST", picks, {"op_id": OPS[10], "barcode": "SKU-BLUE-MUG", "qty": 1}, Authorization="Bearer stale")
    call("POST", picks, {"op_id": OPS[11], "barcode": "SKU-BLUE-MUG", "qty": 1})
    call("GET", "/api/v1/tasks/next")
    revoke_device(db_path, "DC01", "HH-09")
    call("POST", picks, {"op_id": OPS[12], "barcode": "SKU-BLUE-MUG", "qty": 1})  # refused at once
    call("GET", "/api/v1/tasks/next")
    return seen


def enrolment_code(db_path) -> str:
    return create_enrolment_code(db_path, "DC01")["enrolment_code"]



def refused(db_path) -> list:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT op_id, code FROM refused_ops ORDER BY id").fetchall()
    finally:
        conn.close()
