"""Lots through the edge API on a real SQLite file: FEFO tasks, the lot picked booked, expired stock never picked."""
import sqlite3

from edge_api_support import add_login, dump, log_in, op, outbox
from lots_support import allocate_drops, drops_asn, lot_stock, receive_lot


def tasks_of(client, picker) -> list[dict]:
    return client.get("/api/v1/tasks/mine?limit=10", headers=picker).json["tasks"]


def test_tasks_take_the_first_expiring_lot_across_locations_and_never_expired_stock(client, sam, centre, db_path):
    drops_asn(centre)
    late = receive_lot(client, sam, "L-LATE", "301231", 10)
    soon = receive_lot(client, sam, "L-SOON", "300401", 3)
    old = receive_lot(client, sam, "L-OLD", "250101", 50)  # expired long ago
    assert len({late, soon, old}) == 3  # lots with different expiry never share a location
    allocate_drops(centre, "SO-1", 5)
    tasks = tasks_of(client, sam)
    # all 3 of the first-expiring lot, the rest from the next; none of the expired lot; walked in pick order
    assert sorted((t["lot"], t["location"], t["lot_expiry"], t["qty"]) for t in tasks) == [
        ("L-LATE", late, "301231", 2), ("L-SOON", soon, "300401", 3)]
    assert all(t["requires"] == ["location", "item", "lot", "expiry"] for t in tasks)


def test_a_pick_of_another_lot_is_refused_and_the_allocated_lot_is_booked_to_the_centre(client, sam, centre,
                                                                                         db_path):
    drops_asn(centre)
    soon = receive_lot(client, sam, "L-SOON", "300401", 3)
    allocate_drops(centre, "SO-1", 2)
    [task] = tasks_of(client, sam)
    path = f"/api/v1/tasks/{task['task_id']}"
    assert client.post(f"{path}/location-scan", headers=sam,
                       json={"op_id": op(), "barcode": f"LOC-{soon}"}).status_code == 200
    before, seq = dump(db_path, skip=("refused_ops",)), outbox(db_path)[-1]["seq"]
    wrong = client.post(f"{path}/picks", headers=sam, json={"op_id": op(), "barcode": "05012345678962", "qty": 2,
                                                            "lot": "L-OTHER", "expiry": "300401"})
    assert (wrong.status_code, wrong.json["error"]) == (409, "wrong_lot")
    assert wrong.json["message"] == f"Wrong lot: you scanned lot L-OTHER. Pick lot L-SOON (expires 2030-04-01) from {soon}."
    assert dump(db_path, skip=("refused_ops",)) == before
    ok = client.post(f"{path}/picks", headers=sam, json={"op_id": op(), "barcode": "05012345678962", "qty": 2,
                                                         "lot": "L-SOON", "expiry": "300401"})
    assert ok.status_code == 200, ok.json
    assert lot_stock(db_path)[(soon, "L-SOON")] == 1
    deltas = [(e["data"]["location"], e["data"]["lot"], e["data"]["qty_delta"]) for e in outbox(db_path, seq)
              if e["type"] == "stock.changed"]
    assert deltas == [(soon, "L-SOON", -2), ("PACK", "", 2)]


def test_expired_stock_is_listed_for_the_lead_and_moved_to_quarantine_once(client, sam, centre, db_path):
    drops_asn(centre)
    old = receive_lot(client, sam, "L-OLD", "250100", 50)
    add_login(db_path, "maria", "lead")
    csrf = log_in(client, "maria")
    listed = client.get("/api/v1/expired-stock").json["expired"]
    assert listed == [{"location": old, "sku": "SKU-EYE-DROPS", "lot": "L-OLD", "expiry": "250100",
                       "expired_on": "2025-01-31", "qty": 50}]
    assert "50 x SKU-EYE-DROPS lot L-OLD at " + old in client.get("/exceptions").get_data(as_text=True)
    allocate_drops(centre, "SO-1", 5)
    with sqlite3.connect(db_path) as conn:  # the only drops left are expired: the line is short at release
        assert conn.execute("SELECT location, lot, status FROM tasks WHERE order_id = 'SO-1'").fetchall() == [
            ("UNLOCATED", "", "short")]
    moved = client.post("/api/v1/expired-stock/quarantine", headers={"X-CSRFToken": csrf},
                        json={"location": old, "sku": "SKU-EYE-DROPS", "lot": "L-OLD", "reason": "past date"})
    assert moved.status_code == 200, moved.json
    assert lot_stock(db_path) == {("QUAR", "L-OLD"): 50}
    again = client.post("/api/v1/expired-stock/quarantine", headers={"X-CSRFToken": csrf},
                        json={"location": old, "sku": "SKU-EYE-DROPS", "lot": "L-OLD", "reason": "past date"})
    assert (again.status_code, again.json["error"]) == (409, "not_expired")
    assert client.get("/api/v1/expired-stock").json["expired"] == []
