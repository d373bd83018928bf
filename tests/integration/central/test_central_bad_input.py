"""Bad input gets the right 4xx in the project's error shape and changes nothing."""
import pytest

from central_support import dump, feed, stock

GOOD = {"customer": "Acme Ltd", "requested_ship_date": "2025-03-10", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 1}]}


@pytest.fixture
def ready(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 100))
    assert seeded.post("/api/v1/orders", json=dict(GOOD, external_ref="PO-1")).status_code == 201
    return seeded


def assert_error_shape(reply, code, error):
    body = reply.get_json()
    assert reply.status_code == code, body
    assert body["code"] == code and body["error"] == error
    assert body["status"] and body["message"]
    return body


@pytest.mark.parametrize("kwargs, code, error", [
    ({"data": '{"customer": "Acme", ', "content_type": "application/json"}, 400, "bad_json"),
    ({"data": b'\xff\xfe', "content_type": "application/json"}, 400, "bad_json"),
    ({"data": '{"customer": ' + "[" * 100_000 + "]" * 100_000 + "}", "content_type": "application/json"}, 400,
     "bad_json"),
    ({"data": "customer=Acme", "content_type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
    ({"json": dict(GOOD, colour="blue")}, 422, "validation_failed"),
    ({"json": dict(GOOD, lines=[{"sku": "SKU-BLUE-MUG", "qty": 1, "lot": "L1"}])}, 422, "validation_failed"),
    ({"json": dict(GOOD, priority="high")}, 422, "validation_failed"),
    ({"json": dict(GOOD, priority=10)}, 422, "validation_failed"),
    ({"json": dict(GOOD, lines=[{"sku": "SKU-BLUE-MUG", "qty": "2"}])}, 422, "validation_failed"),
    ({"json": dict(GOOD, lines=[{"sku": "SKU-BLUE-MUG", "qty": 0}])}, 422, "validation_failed"),
    ({"json": dict(GOOD, lines=[])}, 422, "validation_failed"),
    ({"json": dict(GOOD, lines="SKU-BLUE-MUG")}, 422, "validation_failed"),
    ({"json": dict(GOOD, requested_ship_date="2025-02-30")}, 422, "validation_failed"),
    ({"json": ["not", "an", "object"]}, 422, "validation_failed"),
    ({"json": {k: v for k, v in GOOD.items() if k != "customer"}}, 422, "validation_failed"),
    ({"json": dict(GOOD, lines=[{"sku": "SKU-GHOST", "qty": 1}])}, 422, "unknown_item"),
    ({"json": dict(GOOD, lines=[{"sku": "SKU-BLUE-MUG", "qty": 1}, {"sku": "SKU-BLUE-MUG", "qty": 2}])},
     422, "duplicate_sku"),
    ({"json": dict(GOOD, external_ref="PO-1")}, 409, "duplicate_order"),
    ({"data": '{"customer": "' + "x" * 300_000 + '"}', "content_type": "application/json"}, 413, "body_too_large"),
])
def test_bad_orders_are_refused_and_change_nothing(ready, db_path, kwargs, code, error):
    before = dump(db_path)
    assert_error_shape(ready.post("/api/v1/orders", **kwargs), code, error)
    assert dump(db_path) == before


def test_field_errors_name_the_field(ready):
    body = assert_error_shape(ready.post("/api/v1/orders", json=dict(GOOD, priority="high", colour="blue")),
                              422, "validation_failed")
    assert set(body["errors"]["json"]) == {"priority", "colour"}


def test_an_unknown_sku_is_named(ready):
    body = assert_error_shape(ready.post("/api/v1/orders", json=dict(GOOD, lines=[{"sku": "SKU-GHOST", "qty": 1}])),
                              422, "unknown_item")
    assert body["errors"] == {"skus": ["SKU-GHOST"]} and "SKU-GHOST" in body["message"]


def test_a_duplicate_external_ref_names_the_first_order(ready):
    body = assert_error_shape(ready.post("/api/v1/orders", json=dict(GOOD, external_ref="PO-1")),
                              409, "duplicate_order")
    assert body["errors"] == {"order_id": "SO-000001"}


@pytest.mark.parametrize("method, path, kwargs, code, error", [
    ("post", "/api/v1/sites", {"json": {"site_id": "DC 01", "name": "Leeds"}}, 422, "validation_failed"),
    ("post", "/api/v1/sites", {"json": {"site_id": "DC01", "name": "Leeds again"}}, 409, "duplicate_site"),
    ("post", "/api/v1/sites", {"json": {"site_id": "DC05"}}, 422, "validation_failed"),
    ("put", "/api/v1/items/SKU-TEAPOT", {"json": {"gtins": ["123"]}}, 422, "validation_failed"),
    ("put", "/api/v1/items/SKU-TEAPOT", {"json": {"description": "Teapot", "weight": 2}}, 422, "validation_failed"),
    ("put", "/api/v1/items/" + "S" * 65, {"json": {"description": "Long"}}, 422, "validation_failed"),
    ("get", "/api/v1/orders?status=lost", {}, 422, "validation_failed"),
    ("get", "/api/v1/orders?colour=blue", {}, 422, "validation_failed"),
    ("get", "/api/v1/orders/SO-999999", {}, 404, "unknown_order"),
    ("get", "/api/v1/items/SKU-GHOST", {}, 404, "unknown_item"),
    ("get", "/api/v1/sites/DC09", {}, 404, "unknown_site"),
    ("get", "/api/v1/sites/DC09/stock", {}, 404, "unknown_site"),
    ("get", "/api/v1/nowhere", {}, 404, "not_found"),
    ("delete", "/api/v1/orders/SO-000001", {}, 405, "method_not_allowed"),
])
def test_other_bad_requests_are_refused_and_change_nothing(ready, db_path, method, path, kwargs, code, error):
    before = dump(db_path)
    assert_error_shape(getattr(ready, method)(path, **kwargs), code, error)
    assert dump(db_path) == before
