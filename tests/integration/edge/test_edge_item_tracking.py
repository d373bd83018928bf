"""Items that need a lot, expiry or serial: the task says so, and a pick without them is refused."""
from edge_api_support import ITEMS, op, outbox


def _at_location(client, headers, centre, tracking: str) -> dict:
    item = dict(ITEMS["SKU-BLUE-MUG"], tracking=tracking)
    centre.send("order.allocated", {"order_id": "SO-7001", "customer": "Eye Clinic", "priority": 5,
                                    "requested_ship_date": "2025-03-04",
                                    "lines": [{"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": 2, "item": item}]})
    [task] = client.get("/api/v1/tasks/mine", headers=headers).json["tasks"]
    scanned = client.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=headers,
                          json={"op_id": op(), "barcode": task["location_barcode"]})
    assert scanned.status_code == 200, scanned.json
    return task


def test_a_lot_tracked_item_needs_its_lot_and_expiry_which_travel_on_task_picked(client, sam, centre, db_path):
    task = _at_location(client, sam, centre, "lot_expiry")
    assert task["tracking"] == "lot_expiry"
    path = f"/api/v1/tasks/{task['task_id']}/picks"
    refused = client.post(path, headers=sam, json={"op_id": op(), "barcode": "05012345678900", "qty": 2,
                                                   "lot": "L2403"})
    assert refused.status_code == 422 and refused.json["error"] == "tracking_required"
    assert "expiry" in refused.json["message"]
    before = outbox(db_path)[-1]["seq"]
    picked = client.post(path, headers=sam, json={"op_id": op(), "barcode": "05012345678900", "qty": 2,
                                                  "lot": "L2403", "expiry": "300131"})
    assert picked.status_code == 200, picked.json
    [event] = [e for e in outbox(db_path, before) if e["type"] == "task.picked"]
    assert (event["data"]["lot"], event["data"]["expiry"]) == ("L2403", "300131")


def test_an_untracked_pick_sends_task_picked_without_tracking_fields(client, sam, centre, db_path):
    task = _at_location(client, sam, centre, "none")
    assert task["tracking"] == "none"
    before = outbox(db_path)[-1]["seq"]
    picked = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=sam,
                         json={"op_id": op(), "barcode": "05012345678900", "qty": 2, "lot": "IGNORED"})
    assert picked.status_code == 200
    [event] = [e for e in outbox(db_path, before) if e["type"] == "task.picked"]
    assert "lot" not in event["data"]


def test_a_serial_tracked_item_is_picked_one_serial_at_a_time(client, sam, centre):
    task = _at_location(client, sam, centre, "serial")
    path = f"/api/v1/tasks/{task['task_id']}/picks"
    two = client.post(path, headers=sam, json={"op_id": op(), "barcode": "05012345678900", "qty": 2,
                                               "serial": "SN-1"})
    assert two.status_code == 422 and "serial" in two.json["message"]
    bad_expiry = client.post(path, headers=sam, json={"op_id": op(), "barcode": "05012345678900", "qty": 1,
                                                      "serial": "SN-1", "expiry": "2027-01-31"})
    assert bad_expiry.status_code == 422 and "expiry" in str(bad_expiry.json["errors"])
    one = client.post(path, headers=sam, json={"op_id": op(), "barcode": "05012345678900", "qty": 1,
                                               "serial": "SN-1"})
    assert one.status_code == 200 and one.json["task"]["picked_qty"] == 1
