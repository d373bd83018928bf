"""Replenishment through the edge API on a real SQLite file: min/max, tasks before picks, the move (issue 9)."""
import pytest

from edge_api_support import add_login, dump, log_in, op, outbox, stock
from dashboard_support import at_location, row, take_task
from edge.service.refused_ops import LOGGED_REFUSALS


@pytest.fixture
def lead(client, db_path) -> str:
    add_login(db_path, "maria", "lead")
    return log_in(client, "maria")


def as_lead(token: str) -> dict:
    return {"X-CSRFToken": token, "Accept": "application/json"}


@pytest.fixture
def face(client, lead) -> None:
    """A-01-01 is the blue mug's pick face (400 on record); C-01-01 (100) is its reserve."""
    answer = client.put("/api/v1/pick-faces", headers=as_lead(lead),
                        json={"faces": [{"location": "A-01-01", "sku": "SKU-BLUE-MUG", "min": 395, "max": 420}]})
    assert answer.status_code == 200, answer.json


def pick(client, picker, task, qty):
    at_location(client, picker, task)
    answer = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=picker,
                         json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": qty})
    assert answer.status_code == 200, answer.json


def move(client, picker, replen, **changes):
    body = {"op_id": op(), "from_barcode": replen["from_barcode"], "item_barcode": replen["item_barcodes"][-1],
            "qty": replen["qty"], "to_barcode": replen["to_barcode"], "lease_epoch": replen["lease_epoch"], **changes}
    return client.post(f"/api/v1/replenishments/{replen['replen_id']}/confirm", headers=picker, json=body)


def test_a_low_face_is_refilled_before_the_picks_that_need_it(client, db_path, centre, sam, alex, lead, face):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 10)])
    pick(client, sam, take_task(client, sam), 10)  # 390 left, under the min of 395
    (waiting,) = client.get("/api/v1/replenishments", headers=as_lead(lead)).json["replenishments"]
    assert (waiting["from_location"], waiting["to_location"], waiting["qty"]) == ("C-01-01", "A-01-01", 30)
    centre.allocate("SO-2", [("SKU-BLUE-MUG", 5)])
    assert client.get("/api/v1/tasks/next", headers=sam).json["task"] is None  # held for the replenishment
    replen = client.get("/api/v1/replenishments/next", headers=alex).json["replenishment"]
    seq = outbox(db_path)[-1]["seq"]
    answer = move(client, alex, replen)
    assert answer.status_code == 200, answer.json
    assert [(e["data"]["location"], e["data"]["qty_delta"], e["data"]["reason"]) for e in outbox(db_path, seq)] == [
        ("C-01-01", -30, "replenish"), ("A-01-01", 30, "replenish")]
    assert stock(db_path)[("A-01-01", "SKU-BLUE-MUG")] == 420 and stock(db_path)[("C-01-01", "SKU-BLUE-MUG")] == 70
    assert take_task(client, sam)["order_id"] == "SO-2"  # released


def test_a_short_pick_at_a_face_asks_for_a_refill(client, db_path, centre, sam, face):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 4)])
    task = take_task(client, sam)
    at_location(client, sam, task)
    client.post(f"/api/v1/tasks/{task['task_id']}/short", headers=sam,
                json={"op_id": op(), "qty_found": 0, "reason": "slot empty"})
    assert row(db_path, "SELECT from_location, qty, trigger FROM replenishments") == ("C-01-01", 100, "short_pick")


@pytest.mark.parametrize("changes, error", [
    ({"to_barcode": "LOC-B-01-01"}, "wrong_location"),
    ({"from_barcode": "LOC-A-01-02"}, "wrong_location"),
    ({"item_barcode": "SKU-TEAPOT"}, "wrong_item"),
    ({"qty": 31}, "too_many_to_move"),
    ({"qty": 0}, "invalid_input"),
    ({"lease_epoch": 99}, "lease_lost"),
    ({"note": "hi"}, "invalid_input"),
])
def test_refused_moves_change_nothing(client, db_path, centre, sam, alex, face, changes, error):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 10)])
    pick(client, sam, take_task(client, sam), 10)
    replen = client.get("/api/v1/replenishments/next", headers=alex).json["replenishment"]
    skip = ("refused_ops",) if error in LOGGED_REFUSALS else ()  # those are logged for the lead, nothing else
    before = dump(db_path, skip)
    answer = move(client, alex, replen, **changes)
    assert 400 <= answer.status_code < 500 and answer.json["error"] == error, answer.json
    assert dump(db_path, skip) == before


def test_someone_else_cannot_confirm_a_move_and_bad_min_max_is_refused(client, db_path, centre, sam, alex, lead,
                                                                         face):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 10)])
    pick(client, sam, take_task(client, sam), 10)
    replen = client.get("/api/v1/replenishments/next", headers=alex).json["replenishment"]
    before = dump(db_path)
    assert move(client, sam, replen).json["error"] == "not_your_replenishment"
    bad = client.put("/api/v1/pick-faces", headers=as_lead(lead),
                     json={"faces": [{"location": "A-01-01", "sku": "SKU-BLUE-MUG", "min": 50, "max": 10}]})
    unknown = client.put("/api/v1/pick-faces", headers=as_lead(lead),
                         json={"faces": [{"location": "Z-9", "sku": "SKU-BLUE-MUG", "min": 1, "max": 10}]})
    assert (bad.status_code, unknown.status_code, unknown.json["error"]) == (422, 409, "unknown_location")
    assert dump(db_path) == before
