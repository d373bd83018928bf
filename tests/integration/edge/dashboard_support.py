"""Helpers for the dashboard tests: a picker's walk through the real handheld API, and reading audit entries."""
import sqlite3

from edge_api_support import op


def take_task(client, picker: dict) -> dict:
    return client.get("/api/v1/tasks/next", headers=picker).json["task"]


def at_location(client, picker: dict, task: dict) -> None:
    answer = client.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=picker,
                         json={"op_id": op(), "barcode": task["location_barcode"]})
    assert answer.status_code == 200, answer.json


def pick_all(client, picker: dict) -> dict:
    """Take the next task and pick it in full; return the task as it was handed out."""
    task = take_task(client, picker)
    at_location(client, picker, task)
    answer = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=picker,
                         json={"op_id": op(), "barcode": task["sku"], "qty": task["qty"] - task["picked_qty"]})
    assert answer.status_code == 200, answer.json
    return task


def short_pick(client, picker: dict, found: int, reason: str = "slot empty") -> dict:
    """Take the next task and report it short with `found` picked; return the task as it was handed out."""
    task = take_task(client, picker)
    at_location(client, picker, task)
    answer = client.post(f"/api/v1/tasks/{task['task_id']}/short", headers=picker,
                         json={"op_id": op(), "qty_found": found, "reason": reason})
    assert answer.status_code == 200, answer.json
    return task


def wrong_item(client, picker: dict, task: dict, times: int) -> None:
    for _ in range(times):
        answer = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=picker,
                             json={"op_id": op(), "barcode": "SKU-NOT-THIS", "qty": 1})
        assert answer.json["error"] == "wrong_item"


def ship(client, picker: dict, order_id: str) -> None:
    assert client.post(f"/api/v1/orders/{order_id}/cartons", headers=picker, json={"op_id": op()}).status_code == 201
    assert client.post(f"/api/v1/orders/{order_id}/shipment", headers=picker, json={"op_id": op()}).status_code == 200


def audit_actions(db_path: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT actor, action, subject, reason FROM audit_log ORDER BY id").fetchall()
    finally:
        conn.close()


def row(db_path: str, sql: str, params=()) -> tuple | None:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.close()
