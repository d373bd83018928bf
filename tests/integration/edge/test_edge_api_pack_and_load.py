"""Pack scanned items into cartons and load them at a dock door, through the real app and a real SQLite file."""
import pytest

from edge_api_support import dump, op, outbox


@pytest.fixture
def picked(client, centre, sam) -> str:
    """Sam has picked all of SO-1: 3 blue mugs and 1 kettle."""
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3), ("SKU-KETTLE", 1)])
    for location, barcode, qty in (("LOC-A-01-01", "SKU-BLUE-MUG", 3), ("LOC-B-01-01", "SKU-KETTLE", 1)):
        task_id = client.get("/api/v1/tasks/next", headers=sam).json["task"]["task_id"]
        client.post(f"/api/v1/tasks/{task_id}/location-scan", headers=sam, json={"op_id": op(), "barcode": location})
        pick = client.post(f"/api/v1/tasks/{task_id}/picks", headers=sam,
                           json={"op_id": op(), "barcode": barcode, "qty": qty})
        assert pick.status_code == 200, pick.json
    return "SO-1"


def close(client, headers, items=None, op_id=None):
    body = {"op_id": op_id or op()} | ({} if items is None else {"items": items})
    return client.post("/api/v1/orders/SO-1/cartons", headers=headers, json=body)


def test_two_scanned_cartons_pack_the_order_and_load_at_a_dock_door(client, db_path, sam, picked):
    first = close(client, sam, [{"barcode": "5012345678900", "qty": 2}, {"barcode": "SKU-BLUE-MUG", "qty": 1}])
    assert (first.status_code, first.json["lines"], first.json["order_status"]) == (
        201, [{"sku": "SKU-BLUE-MUG", "qty": 3}], "picked")
    second = close(client, sam, [{"barcode": "05012345678931", "qty": 1}])
    assert (second.json["carton_id"], second.json["order_status"]) == ("DC01-C000002", "packed")
    assert [e["type"] for e in outbox(db_path)][-3:] == ["carton.closed", "carton.closed", "order.status_changed"]

    shipment = client.post("/api/v1/orders/SO-1/shipment", headers=sam, json={
        "op_id": op(), "dock_door": "dock-3", "cartons": ["DC01-C000001", "dc01-c000002"]})
    assert shipment.json == {"order_id": "SO-1", "order_status": "shipped", "dock_door": "DOCK-3"}
    detail = client.get("/api/v1/orders/SO-1", headers=sam).json
    assert (detail["status"], detail["dock_door"], len(detail["cartons"])) == ("shipped", "DOCK-3", 2)


def test_a_barcode_not_left_to_pack_is_409_not_in_order_and_changes_nothing(client, db_path, sam, picked):
    close(client, sam, [{"barcode": "SKU-KETTLE", "qty": 1}])
    before = dump(db_path)
    for items in ([{"barcode": "SKU-TEAPOT", "qty": 1}], [{"barcode": "SKU-KETTLE", "qty": 1}]):
        refused = close(client, sam, items)
        assert (refused.status_code, refused.json["error"]) == (409, "not_in_order"), refused.json
        assert items[0]["barcode"] in refused.json["message"]
    too_many = close(client, sam, [{"barcode": "SKU-BLUE-MUG", "qty": 4}])
    assert (too_many.status_code, too_many.json["error"]) == (409, "too_many_to_pack")
    assert dump(db_path) == before


def test_replayed_close_carton_answers_the_same_and_a_changed_body_is_refused(client, db_path, sam, picked):
    op_id = op()
    first = close(client, sam, [{"barcode": "SKU-KETTLE", "qty": 1}], op_id)
    again = close(client, sam, [{"barcode": "SKU-KETTLE", "qty": 1}], op_id)
    assert (again.status_code, again.json) == (201, first.json)
    assert close(client, sam, None, op_id).json["error"] == "op_id_reused"
    assert len(client.get("/api/v1/orders/SO-1", headers=sam).json["cartons"]) == 1


def test_loading_a_foreign_or_too_few_cartons_is_refused_by_name(client, db_path, sam, picked):
    close(client, sam, [{"barcode": "SKU-KETTLE", "qty": 1}])
    close(client, sam)
    ship = "/api/v1/orders/SO-1/shipment"
    foreign = client.post(ship, headers=sam, json={"op_id": op(), "dock_door": "DOCK-3",
                                                    "cartons": ["DC01-C000001", "DC01-C000002", "DC01-C000077"]})
    assert (foreign.status_code, foreign.json["error"]) == (409, "not_in_shipment")
    assert "DC01-C000077" in foreign.json["message"]
    missing = client.post(ship, headers=sam, json={"op_id": op(), "cartons": ["DC01-C000002"]})
    assert (missing.status_code, missing.json["error"]) == (409, "cartons_missing")
    assert "DC01-C000001" in missing.json["message"]
    assert client.get("/api/v1/orders/SO-1", headers=sam).json["status"] == "packed"


@pytest.mark.parametrize("path, body, field", [
    ("cartons", {"items": []}, "items"),
    ("cartons", {"items": [{"barcode": "SKU-KETTLE", "qty": 0}]}, "items"),
    ("cartons", {"items": [{"barcode": "SKU-KETTLE"}]}, "items"),
    ("cartons", {"items": [{"barcode": "SKU-KETTLE", "qty": 1, "lot": "X"}]}, "items"),
    ("shipment", {"cartons": "DC01-C000001"}, "cartons"),
    ("shipment", {"dock_door": 3}, "dock_door"),
])
def test_malformed_items_or_cartons_are_422_and_change_nothing(client, db_path, sam, picked, path, body, field):
    before = dump(db_path)
    response = client.post(f"/api/v1/orders/SO-1/{path}", headers=sam, json={"op_id": op(), **body})
    assert (response.status_code, response.json["error"]) == (422, "invalid_input"), response.json
    assert field in response.json["errors"]
    assert dump(db_path) == before
