"""Customer returns at the centre: an RMA goes down to the shipping site; the site's return shows on the order."""
from central.adapters.hub_hooks import apply_event
from sync.sqlite_store import SqliteInboxStore, read_connection

from central_support import dump, feed, outbox, site_event, status, stock

ORDER = {"customer": "Acme Ltd", "priority": 3, "requested_ship_date": "2025-03-10",
         "lines": [{"sku": "SKU-BLUE-MUG", "qty": 6}, {"sku": "SKU-KETTLE", "qty": 1}]}


def shipped_order(seeded, db_path) -> str:
    """Place an order that DC01 picks (6 mugs, the kettle short) and ships."""
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 10), stock("B-01-01", "SKU-KETTLE", 1))
    order_id = seeded.post("/api/v1/orders", json=ORDER).json["order_id"]
    pick = {"task_id": "T-1", "order_id": order_id, "line_no": 1, "sku": "SKU-BLUE-MUG", "location": "A-01-01",
            "qty": 6, "picker": "BADGE-0001"}
    feed(db_path, "DC01", status(order_id, "picking"), site_event("task.picked", pick),
         stock("A-01-01", "SKU-BLUE-MUG", -6, "pick"), stock("PACK", "SKU-BLUE-MUG", 6, "pick"),
         status(order_id, "packed"), stock("PACK", "SKU-BLUE-MUG", -6, "ship"), status(order_id, "shipped"))
    return order_id


def recorded(order_id: str, return_id: str, rma_id: str = "", lines=None) -> dict:
    return site_event("return.recorded", {
        "return_id": return_id, "rma_id": rma_id, "order_id": order_id, "picker": "BADGE-0001",
        "lines": lines or [{"sku": "SKU-BLUE-MUG", "qty": 2, "lot": "", "expiry": "", "condition": "restock",
                            "reason": ""}]})


def test_an_rma_goes_down_to_the_shipping_site_and_the_return_it_reports_shows_on_the_order(seeded, db_path, sync):
    order_id = shipped_order(seeded, db_path)
    created = seeded.post(f"/api/v1/orders/{order_id}/returns", json={
        "rma_id": "RMA-1", "reason": "wrong colour", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 2}]})
    assert created.status_code == 201, created.json
    assert (created.json["status"], created.json["site_id"], created.json["expected"]) == (
        "expected", "DC01", [{"sku": "SKU-BLUE-MUG", "qty": 2}])
    [command] = [row for row in outbox(db_path, "DC01") if row["type"] == "return.expected"]
    assert command["data"]["lines"][0]["item"]["gtins"] == ["05012345678900"] and sync.nudges >= 1

    events = [dict(e, seq=n) for n, e in enumerate([
        stock("RECV", "SKU-BLUE-MUG", 2, "return"), stock("RECV", "SKU-BLUE-MUG", -2, "putaway"),
        stock("A-01-01", "SKU-BLUE-MUG", 2, "putaway"), recorded(order_id, "RMA-1", "RMA-1")], start=1)]
    inbox = SqliteInboxStore(db_path)
    inbox.receive("DC01", 1, events, apply_event)
    inbox.receive("DC01", 1, events, apply_event)  # a resend after a lost ack applies nothing twice
    order = seeded.get(f"/api/v1/orders/{order_id}").json
    [returned] = order["returns"]
    assert (returned["status"], returned["received"][0]["condition"]) == ("received", "restock")
    assert order["history"][-1]["note"] == "return RMA-1: 2 x SKU-BLUE-MUG restock"
    assert order["history"][-1]["source"] == "DC01" and order["status"] == "shipped"
    with read_connection(db_path) as conn:
        (qty,) = conn.execute("SELECT qty FROM stock WHERE site_id = 'DC01' AND location = 'A-01-01'"
                              " AND sku = 'SKU-BLUE-MUG'").fetchone()
    assert qty == 10 - 6 + 2
    page = seeded.get(f"/ops/orders/{order_id}").get_data(as_text=True)
    assert "RMA-1" in page and "2 × SKU-BLUE-MUG restock" in page


def test_bad_rmas_are_refused_and_change_nothing(seeded, db_path):
    order_id = shipped_order(seeded, db_path)
    open_id = seeded.post("/api/v1/orders", json=dict(ORDER, lines=[{"sku": "SKU-BLUE-MUG", "qty": 1}])).json[
        "order_id"]
    assert seeded.post(f"/api/v1/orders/{order_id}/returns",
                       json={"rma_id": "RMA-1", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 4}]}).status_code == 201
    before = dump(db_path)
    cases = [
        (order_id, {"rma_id": "RMA-2", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 3}]}, 422, "over_return"),
        (order_id, {"rma_id": "RMA-2", "lines": [{"sku": "SKU-KETTLE", "qty": 1}]}, 422, "over_return"),
        (order_id, {"rma_id": "RMA-1", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 1}]}, 409, "duplicate_rma"),
        (open_id, {"rma_id": "RMA-3", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 1}]}, 409, "order_not_shipped"),
        ("SO-404", {"rma_id": "RMA-4", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 1}]}, 404, "unknown_order"),
        (order_id, {"rma_id": "RMA-5", "lines": []}, 422, "validation_failed"),
    ]
    for target, body, code, error in cases:
        answer = seeded.post(f"/api/v1/orders/{target}/returns", json=body)
        assert (answer.status_code, answer.json["error"]) == (code, error), answer.json
        assert answer.json["message"]
    assert dump(db_path) == before


def test_unannounced_returns_are_kept_and_returns_the_centre_cannot_place_are_set_aside(seeded, db_path):
    order_id = shipped_order(seeded, db_path)
    inbox = SqliteInboxStore(db_path)
    inbox.receive("DC02", 1, [dict(recorded(order_id, "RT-9"), seq=1)], apply_event)  # not DC02's order
    inbox.receive("DC01", 1, [dict(recorded(order_id, "RT-1"), seq=1),
                              dict(recorded(order_id, "RT-2", rma_id="RMA-404"), seq=2)], apply_event)
    with read_connection(db_path) as conn:
        outcomes = [tuple(r) for r in conn.execute("SELECT stream, seq, outcome FROM sync_inbox"
                                                   " WHERE type = 'return.recorded' ORDER BY stream, seq")]
    assert outcomes == [("DC01", 1, "applied"), ("DC01", 2, "rejected"), ("DC02", 1, "rejected")]
    [kept] = seeded.get(f"/api/v1/orders/{order_id}/returns").json["returns"]
    assert (kept["return_id"], kept["rma_id"], kept["status"]) == ("RT-1", "", "received")
