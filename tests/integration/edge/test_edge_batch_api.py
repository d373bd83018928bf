"""Waves and batch picking through the edge API and dashboard on a real SQLite file (issue 9)."""
import pytest

from edge_api_support import add_login, dump, log_in, op, outbox, stock
from dashboard_support import audit_actions, row


@pytest.fixture
def lead(client, db_path) -> str:
    add_login(db_path, "maria", "lead")
    return log_in(client, "maria")


def as_lead(token: str) -> dict:
    return {"X-CSRFToken": token, "Accept": "application/json"}


@pytest.fixture
def orders(centre):
    centre.allocate("SO-1", [("SKU-KETTLE", 1), ("SKU-BLUE-MUG", 2)], priority=5, ship_date="2025-03-04")
    centre.allocate("SO-2", [("SKU-BLUE-MUG", 1), ("SKU-TEAPOT", 1)], priority=1, ship_date="2025-03-04")
    centre.allocate("SO-3", [("SKU-TEAPOT", 1)], priority=5, ship_date="2025-03-10")


def release(client, lead, **body):
    answer = client.post("/api/v1/waves", json={"cart_slots": 4, **body}, headers=as_lead(lead))
    assert answer.status_code == 201, answer.json
    return answer.json


def next_batch(client, picker) -> dict | None:
    answer = client.get("/api/v1/batches/next", headers=picker)
    assert answer.status_code == 200, answer.json
    return answer.json["batch"]


def at(client, picker, stop):
    answer = client.post(f"/api/v1/tasks/{stop['task_id']}/location-scan", headers=picker, json={
        "op_id": op(), "barcode": stop["location_barcode"], "lease_epoch": stop["lease_epoch"]})
    assert answer.status_code == 200, answer.json


def put(client, picker, batch, stop, tote, op_id=None, qty=None):
    return client.post(f"/api/v1/batches/{batch['batch_id']}/picks", headers=picker, json={
        "op_id": op_id or op(), "task_id": stop["task_id"], "barcode": stop["item_barcodes"][-1],
        "qty": qty or stop["qty"], "tote": tote, "lease_epoch": stop["lease_epoch"]})


def test_a_wave_by_cut_off_is_picked_in_one_walk_into_totes(client, db_path, orders, lead, sam, alex):
    wave = release(client, lead, ship_by="2025-03-05", reason="14:00 carrier")
    assert wave["batches"] == [{"batch_id": "DC01-B00001", "orders": ["SO-2", "SO-1"]}]
    assert client.get("/api/v1/tasks/next", headers=alex).json["task"]["order_id"] == "SO-3"  # batched ones wait
    assert {t["order_id"] for t in client.get("/api/v1/tasks/mine?limit=20", headers=alex).json["tasks"]} == {"SO-3"}

    batch = next_batch(client, sam)
    stops = batch["stops"]
    assert [(s["location"], s["order_id"], s["slot"]) for s in stops] == [
        ("A-01-01", "SO-2", 1), ("A-01-01", "SO-1", 2), ("B-01-01", "SO-1", 2), ("B-01-02", "SO-2", 1)]
    assert next_batch(client, alex) is None

    before = stock(db_path)
    for stop, tote in zip(stops, ["TOTE-01", "TOTE-02", "TOTE-02", "TOTE-01"]):
        at(client, sam, stop)
        first = put(client, sam, batch, stop, tote, op_id := op())
        assert first.status_code == 200, first.json
        replay = put(client, sam, batch, stop, tote, op_id)
        assert replay.headers["Idempotent-Replayed"] == "true" and replay.json == first.json
    assert first.json["message"].endswith("All picks done: close the batch.")
    assert stock(db_path)[("A-01-01", "SKU-BLUE-MUG")] == before[("A-01-01", "SKU-BLUE-MUG")] - 3
    assert stock(db_path)[("PACK", "SKU-BLUE-MUG")] == before.get(("PACK", "SKU-BLUE-MUG"), 0) + 3

    closed = client.post(f"/api/v1/batches/{batch['batch_id']}/close", headers=sam, json={"op_id": op()})
    assert closed.status_code == 200, closed.json
    assert [(t["order_id"], t["tote"]) for t in closed.json["totes"]] == [("SO-2", "TOTE-01"), ("SO-1", "TOTE-02")]
    batched = [e["data"] for e in outbox(db_path) if e["type"] == "order.batched"]
    assert [(e["order_id"], e["stage"], e["tote"]) for e in batched] == [
        ("SO-2", "released", ""), ("SO-1", "released", ""), ("SO-2", "picked", "TOTE-01"),
        ("SO-1", "picked", "TOTE-02")]
    assert [e["data"]["status"] for e in outbox(db_path) if e["type"] == "order.status_changed"
            and e["data"]["order_id"] == "SO-1"][-1] == "picked"
    ready = client.get("/api/v1/orders?status=picked,short", headers=sam).json
    assert {o["order_id"]: o["tote"] for o in ready} == {"SO-1": "TOTE-02", "SO-2": "TOTE-01"}
    assert client.post("/api/v1/orders/SO-1/cartons", headers=sam, json={"op_id": op()}).status_code == 201
    assert ("maria", "wave.released", "DC01-W00001", "14:00 carrier") in audit_actions(db_path)
    metrics = client.get("/api/v1/metrics").json
    assert (metrics["pick_accuracy"], metrics["scans_ok"]) == (1.0, 8)  # 4 location scans and 4 puts


def test_wrong_totes_and_bad_input_are_refused_and_change_nothing(client, db_path, orders, lead, sam, alex):
    release(client, lead, order_ids=["SO-1", "SO-2"])
    batch = next_batch(client, sam)
    stops = batch["stops"]
    at(client, sam, stops[0])
    assert put(client, sam, batch, stops[0], "TOTE-01").status_code == 200
    at(client, sam, stops[1])
    before = dump(db_path)
    for tote, code in (("TOTE-01", "wrong_tote"), ("LOC-A-01-01", "bad_tote"), ("05012345678900", "bad_tote")):
        refused = put(client, sam, batch, stops[1], tote)
        assert (refused.status_code, refused.json["error"]) in ((409, code), (422, code)), refused.json
        assert refused.json["message"]
    assert put(client, alex, batch, stops[1], "TOTE-05").json["error"] == "batch_taken"
    for body in ({"op_id": op(), "task_id": stops[1]["task_id"], "barcode": "SKU-BLUE-MUG", "qty": 1},
                 {"op_id": op(), "task_id": stops[1]["task_id"], "barcode": "SKU-BLUE-MUG", "qty": "2",
                  "tote": "TOTE-02"},
                 {"op_id": "not-a-uuid", "task_id": "x", "barcode": "x", "qty": 1, "tote": "TOTE-02", "extra": 1}):
        answer = client.post(f"/api/v1/batches/{batch['batch_id']}/picks", headers=sam, json=body)
        assert answer.status_code == 422 and answer.json["error"], answer.json
    assert client.post("/api/v1/batches/NOPE/close", headers=sam, json={"op_id": op()}).status_code == 404
    unsent = client.post(f"/api/v1/batches/{batch['batch_id']}/close", headers=sam, json={"op_id": op()})
    assert (unsent.status_code, unsent.json["error"]) == (409, "batch_not_done")
    after = dump(db_path)
    assert {t: after[t] for t in ("stock", "tasks", "batch_slots", "sync_outbox")} == \
        {t: before[t] for t in ("stock", "tasks", "batch_slots", "sync_outbox")}


def test_the_lead_needs_a_login_and_csrf_and_can_stop_a_batch(client, db_path, orders, lead, sam, alex):
    assert client.post("/api/v1/waves", json={"cart_slots": 4},
                       headers={"Accept": "application/json"}).status_code in (400, 403)
    assert client.post("/api/v1/waves", json={"cart_slots": 99}, headers=as_lead(lead)).status_code == 422
    nothing = client.post("/api/v1/waves", json={"cart_slots": 2, "ship_by": "2025-01-01"}, headers=as_lead(lead))
    assert (nothing.status_code, nothing.json["error"]) == (422, "nothing_to_wave")
    wave = release(client, lead, max_priority=1, cart_slots=2)
    assert wave["batches"][0]["orders"] == ["SO-2"]
    batch = next_batch(client, sam)
    listed = client.get("/api/v1/waves", headers=as_lead(lead)).json
    assert listed["waves"][0]["batches"][0]["status"] == "picking"
    assert {c["order_id"] for c in listed["candidates"]} == {"SO-1", "SO-3"}
    cancel = f"/api/v1/batches/{batch['batch_id']}/cancel"
    assert client.post(cancel, json={"reason": ""}, headers=as_lead(lead)).status_code == 422
    assert client.post(cancel, json={"reason": "picker went home"}, headers=as_lead(lead)).status_code == 200
    stop = batch["stops"][0]
    late = client.post(f"/api/v1/tasks/{stop['task_id']}/location-scan", headers=sam, json={
        "op_id": op(), "barcode": stop["location_barcode"], "lease_epoch": stop["lease_epoch"]})
    assert late.json["error"] == "lease_lost"
    offline_put = put(client, sam, batch, stop, "TOTE-01")  # done on the handheld before the lead stopped it
    assert offline_put.json["error"] == "batch_closed"
    assert row(db_path, "SELECT code, task_id FROM refused_ops ORDER BY id DESC LIMIT 1") == (
        "batch_closed", stop["task_id"])  # the lead hears of work the floor did in vain
    assert client.get("/api/v1/tasks/next", headers=alex).json["task"]["order_id"] == "SO-2"  # single picking again


def test_the_waves_page_releases_ticked_orders_and_shows_the_batches(client, db_path, orders, lead, sam):
    page = client.get("/waves").get_data(as_text=True)
    assert "SO-1" in page and "Release ticked orders" in page
    answer = client.post("/waves/release", data={"csrf_token": lead, "order_id": ["SO-3", "SO-1"],
                                                  "cart_slots": "1"})
    assert answer.status_code == 303
    page = client.get("/waves").get_data(as_text=True)
    assert "DC01-B00001" in page and "DC01-B00002" in page and "picked by hand" in page
    assert client.post("/waves/release", data={"csrf_token": lead, "cart_slots": "lots"}).status_code == 422
    assert client.post("/waves/release", data={"csrf_token": lead, "ship_by": "soon"}).status_code == 422
    by_rule = client.post("/waves/release", data={"csrf_token": lead, "ship_by": "2025-03-04", "max_priority": "1",
                                                  "cart_slots": "4", "reason": "DPD 14:00"})
    assert by_rule.status_code == 303
    assert "rule: ship by 2025-03-04, priority 1" in client.get("/waves").get_data(as_text=True)
    refused = client.post("/waves/release", data={"csrf_token": lead, "order_id": "SO-1", "cart_slots": "2"})
    assert refused.status_code == 409 and "cannot join a wave" in refused.get_data(as_text=True)
    assert client.post("/waves/release", data={"order_id": "SO-2", "cart_slots": "2"}).status_code in (400, 403)


def test_a_picker_cannot_open_the_waves_page(client, db_path):
    add_login(db_path, "pat", "picker")
    log_in(client, "pat")
    assert client.get("/waves").status_code == 403
