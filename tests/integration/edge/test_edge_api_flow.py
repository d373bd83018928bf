"""The picker's whole walk through the real app and a real SQLite file, and the centre's commands."""
import pytest

from edge_api_support import SAMPLE_SEED, dump, op, outbox, sign_in, stock
from edge.adapters.migrations import WrongSite, init_database
from edge.bootstrap import seed_site
from sync.sqlite_store import EventRejected

SEEDED = 14  # 7 location.upserted + 7 stock.changed counts from the sample seed


def test_full_flow_sign_in_to_shipment(client, db_path, centre, sync):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3), ("SKU-KETTLE", 1)])
    headers = sign_in(client)

    first = client.get("/api/v1/tasks/next", headers=headers).json["task"]
    assert (first["sku"], first["location"], first["location_barcode"], first["next_step"]) == (
        "SKU-BLUE-MUG", "A-01-01", "LOC-A-01-01", "scan_location")
    assert first["item_barcodes"] == ["SKU-BLUE-MUG", "05012345678900"]
    scan = client.post(f"/api/v1/tasks/{first['task_id']}/location-scan", headers=headers,
                       json={"op_id": op(), "barcode": "LOC-A-01-01", "scanned_at": "2025-03-03T09:00:00+00:00"})
    assert (scan.status_code, scan.json["task"]["next_step"]) == (200, "scan_item")
    pick = client.post(f"/api/v1/tasks/{first['task_id']}/picks", headers=headers,
                       json={"op_id": op(), "barcode": "5012345678900", "qty": 3})
    assert (pick.status_code, pick.json["order_status"], pick.json["task"]["status"]) == (200, "picking", "picked")

    second = client.get("/api/v1/tasks/next", headers=headers).json["task"]
    assert (second["sku"], second["location"]) == ("SKU-KETTLE", "B-01-01")
    client.post(f"/api/v1/tasks/{second['task_id']}/location-scan", headers=headers,
                json={"op_id": op(), "barcode": "B-01-01"})
    pick = client.post(f"/api/v1/tasks/{second['task_id']}/picks", headers=headers,
                       json={"op_id": op(), "barcode": "SKU-KETTLE", "qty": 1})
    assert pick.json["order_status"] == "picked"
    assert client.get("/api/v1/tasks/next", headers=headers).json["task"] is None
    assert [o["order_id"] for o in client.get("/api/v1/orders?status=picked,short", headers=headers).json] == ["SO-1"]

    carton = client.post("/api/v1/orders/SO-1/cartons", headers=headers, json={"op_id": op()})
    assert carton.status_code == 201
    assert carton.json == {"carton_id": "DC01-C000001", "order_id": "SO-1", "order_status": "packed",
                           "lines": [{"sku": "SKU-BLUE-MUG", "qty": 3}, {"sku": "SKU-KETTLE", "qty": 1}],
                           "sscc": ""}  # no devices config: no SSCC
    shipment = client.post("/api/v1/orders/SO-1/shipment", headers=headers, json={"op_id": op()})
    assert shipment.json == {"order_id": "SO-1", "order_status": "shipped", "dock_door": ""}

    quants = stock(db_path)
    assert (quants[("A-01-01", "SKU-BLUE-MUG")], quants[("B-01-01", "SKU-KETTLE")]) == (397, 119)
    assert (quants[("PACK", "SKU-BLUE-MUG")], quants[("PACK", "SKU-KETTLE")]) == (0, 0)
    api_stock = {(r["location"], r["sku"]): r["qty"] for r in client.get("/api/v1/stock", headers=headers).json}
    assert api_stock == quants

    rows = outbox(db_path)
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    events = [(r["type"], r["data"].get("status") or r["data"].get("qty_delta")) for r in rows[SEEDED:]]
    assert events == [
        ("order.status_changed", "released"),
        ("stock.changed", -3), ("stock.changed", 3), ("task.picked", None), ("order.status_changed", "picking"),
        ("stock.changed", -1), ("stock.changed", 1), ("task.picked", None), ("order.status_changed", "picked"),
        ("carton.closed", None), ("order.status_changed", "packed"),
        ("stock.changed", -3), ("stock.changed", -1), ("order.status_changed", "shipped"),
    ]
    first_pick = rows[SEEDED + 1]
    assert (first_pick["device_id"], first_pick["data"]["reason"], first_pick["data"]["ref"]) == (
        "HH-01", "pick", first["task_id"])
    deltas = {}
    for row in rows:
        if row["type"] == "stock.changed":
            key = (row["data"]["location"], row["data"]["sku"])
            deltas[key] = deltas.get(key, 0) + row["data"]["qty_delta"]
    assert deltas == quants  # the centre's sum of deltas equals the site's own stock
    assert sync.nudges >= 8

    metrics = client.get("/api/v1/metrics", headers=headers).json
    assert (metrics["scans_ok"], metrics["scans_rejected"], metrics["lines_picked"], metrics["pick_accuracy"]) == (
        4, 0, 2, 1.0)


def test_scanned_at_becomes_the_events_occurred_at(client, db_path, centre, sam):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 1)])
    task = client.get("/api/v1/tasks/next", headers=sam).json["task"]
    client.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=sam,
                json={"op_id": op(), "barcode": "LOC-C-01-01", "scanned_at": "2025-03-03T09:00:00+01:00"})
    rejected = outbox(db_path)[-1]
    assert (rejected["type"], rejected["occurred_at"]) == ("scan.rejected", "2025-03-03T09:00:00+01:00")


def test_short_pick_closes_the_task_and_the_order_short(client, db_path, centre, sam):
    centre.allocate("SO-1", [("SKU-TEAPOT", 5)])
    task = client.get("/api/v1/tasks/next", headers=sam).json["task"]
    short = client.post(f"/api/v1/tasks/{task['task_id']}/short", headers=sam,
                        json={"op_id": op(), "qty_found": 2, "reason": "damaged"})
    assert (short.status_code, short.json["task"]["status"], short.json["order_status"]) == (200, "short", "short")
    shorted = outbox(db_path)[-2]
    assert (shorted["type"], shorted["data"]["qty_short"], shorted["data"]["reason"]) == ("task.shorted", 3, "damaged")
    assert stock(db_path)[("B-01-02", "SKU-TEAPOT")] == 148
    carton = client.post("/api/v1/orders/SO-1/cartons", headers=sam, json={"op_id": op()})
    assert carton.json["lines"] == [{"sku": "SKU-TEAPOT", "qty": 2}]


def test_pack_before_picked_and_ship_before_packed_are_refused(client, centre, sam):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 1)])
    carton = client.post("/api/v1/orders/SO-1/cartons", headers=sam, json={"op_id": op()})
    shipment = client.post("/api/v1/orders/SO-1/shipment", headers=sam, json={"op_id": op()})
    assert (carton.status_code, carton.json["error"]) == (409, "order_not_picked")
    assert (shipment.status_code, shipment.json["error"]) == (409, "order_not_packed")
    missing = client.get("/api/v1/orders/SO-404", headers=sam)
    assert (missing.status_code, missing.json["error"]) == (404, "unknown_order")


def test_duplicate_order_allocated_is_a_no_op_and_cancel_stops_the_work(client, db_path, centre, sam):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2)])
    before = dump(db_path)
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 2)])
    assert dump(db_path) == before
    centre.send("order.cancelled", {"order_id": "SO-1", "reason": "customer cancelled"})
    assert client.get("/api/v1/orders/SO-1", headers=sam).json["status"] == "cancelled"
    assert client.get("/api/v1/tasks/next", headers=sam).json["task"] is None
    assert outbox(db_path)[-1]["data"] == {"order_id": "SO-1", "status": "cancelled", "note": "customer cancelled"}


@pytest.mark.parametrize("command_type, data", [
    ("order.teleported", {"order_id": "SO-1"}),
    ("order.allocated", {"order_id": "SO-1"}),
    ("order.cancelled", {"order_id": "SO-NOT-HERE"}),
])
def test_unusable_commands_are_rejected_for_the_dead_letter_queue(centre, db_path, command_type, data):
    before = dump(db_path)
    with pytest.raises(EventRejected):
        centre.send(command_type, data)
    assert dump(db_path) == before


def test_release_splits_across_locations_and_orders_by_urgency(client, centre, sam, alex):
    centre.allocate("SO-LATE", [("SKU-KETTLE", 1)], priority=5)
    centre.allocate("SO-BIG", [("SKU-BLUE-MUG", 450)], priority=1)
    detail = client.get("/api/v1/orders/SO-BIG", headers=sam).json
    assert [(t["location"], t["qty"]) for t in detail["tasks"]] == [("A-01-01", 400), ("C-01-01", 50)]
    assert client.get("/api/v1/tasks/next", headers=sam).json["task"]["location"] == "A-01-01"
    assert client.get("/api/v1/tasks/next", headers=alex).json["task"]["location"] == "C-01-01"


def test_seed_and_migrations_are_idempotent(db_path):
    before = dump(db_path)
    init_database(db_path, "DC01")
    assert seed_site(db_path, "DC01", str(SAMPLE_SEED)) == {
        "locations_changed": 0, "pickers_changed": 0, "stock_changes": 0}
    assert dump(db_path) == before
    with pytest.raises(WrongSite):
        init_database(db_path, "DC02")


def test_read_only_status_and_openapi_need_no_sign_in(client):
    assert client.get("/api/v1/health").json == {"status": "ok", "site": "DC01"}
    assert {"location": "A-01-01", "sku": "SKU-BLUE-MUG", "lot": "", "qty": 400} in client.get("/api/v1/stock").json
    assert client.get("/api/v1/metrics").json["scans_ok"] == 0
    sync = client.get("/api/v1/sync").json
    assert {k: sync[k] for k in ("connected", "outbox_depth", "outbox_level")} == {
        "connected": False, "outbox_depth": 0, "outbox_level": "ok"}
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"] == "3.0.3" and "/api/v1/tasks/{task_id}/picks" in spec["paths"]
    assert client.get("/").status_code == 302  # the dashboard itself needs a staff login
