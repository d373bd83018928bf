"""Request threads share one SQLite file: BEGIN IMMEDIATE keeps two pickers off the same task."""
from concurrent.futures import ThreadPoolExecutor

from edge_api_support import op, outbox, sign_in


def test_pickers_asking_at_once_never_get_the_same_task(client, centre):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 1), ("SKU-KETTLE", 1), ("SKU-TEAPOT", 1)])
    pickers = [sign_in(client), sign_in(client, "BADGE-0002", "2345", "HH-02")]

    def next_task(headers):
        return client.application.test_client().get("/api/v1/tasks/next", headers=headers).json["task"]["task_id"]

    with ThreadPoolExecutor(max_workers=2) as pool:
        task_ids = list(pool.map(next_task, pickers))
    assert len(set(task_ids)) == 2


def test_one_op_sent_twice_at_once_is_applied_once(client, db_path, centre, sam):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 4)])
    task_id = client.get("/api/v1/tasks/next", headers=sam).json["task"]["task_id"]
    client.post(f"/api/v1/tasks/{task_id}/location-scan", headers=sam, json={"op_id": op(), "barcode": "A-01-01"})
    request = {"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 1}

    def pick(_):
        response = client.application.test_client().post(f"/api/v1/tasks/{task_id}/picks", headers=sam, json=request)
        return response.status_code, response.headers.get("Idempotent-Replayed")

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(pick, range(4)))
    assert answers.count((200, None)) == 1 and answers.count((200, "true")) == 3
    assert len([r for r in outbox(db_path) if r["type"] == "task.picked"]) == 1
