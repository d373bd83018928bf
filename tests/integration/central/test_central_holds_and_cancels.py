"""Credit holds and cancellation at any stage, through the centre's API and the site's reports."""
from central_support import dump, feed, outbox, status, stock

MUGS = {"customer": "Acme Ltd", "requested_ship_date": "2025-03-10", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 5}]}
WHO = {"X-Operator": "dana.credit"}


def allocated_commands(db_path, site, kind="order.allocated"):
    return [row["data"] for row in outbox(db_path, site) if row["type"] == kind]


def test_an_order_created_on_hold_is_never_allocated_until_released(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 50))
    order = seeded.post("/api/v1/orders", json=MUGS | {"hold_reason": "credit limit reached"}, headers=WHO).json
    assert (order["status"], order["site_id"], order["note"]) == ("on_hold", None, "credit limit reached")
    assert [(h["status"], h["actor"], h["note"]) for h in order["history"]] == [
        ("received", "", ""), ("on_hold", "dana.credit", "credit limit reached")]
    assert allocated_commands(db_path, "DC01") == []
    assert [o["order_id"] for o in seeded.get("/api/v1/orders?status=on_hold").json] == [order["order_id"]]

    reply = seeded.post(f"/api/v1/orders/{order['order_id']}/release-hold",
                        json={"reason": "payment received", "operator": "sam.finance"})

    assert reply.status_code == 200
    assert (reply.json["status"], reply.json["site_id"]) == ("allocated", "DC01")
    assert reply.json["history"][2] == {"status": "received", "at": reply.json["history"][2]["at"],
                                        "source": "central", "note": "payment received", "actor": "sam.finance"}
    assert [c["order_id"] for c in allocated_commands(db_path, "DC01")] == [order["order_id"]]


def test_a_waiting_order_can_be_held_and_the_retry_skips_it(seeded, db_path):
    order_id = seeded.post("/api/v1/orders", json=MUGS).json["order_id"]  # no stock anywhere: waits
    held = seeded.post(f"/api/v1/orders/{order_id}/hold", json={"reason": "customer on stop"}, headers=WHO)
    assert held.status_code == 200 and held.json["status"] == "on_hold"
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 50))
    from central.bootstrap import bootstrap_bus
    from central.service.commands import AllocateWaitingOrders
    assert bootstrap_bus(db_path).handle(AllocateWaitingOrders()) == []
    assert seeded.get(f"/api/v1/orders/{order_id}").json["status"] == "on_hold"


def test_holds_are_refused_clearly_and_change_nothing(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 50))
    order_id = seeded.post("/api/v1/orders", json=MUGS).json["order_id"]  # allocated at once
    before = dump(db_path)
    late = seeded.post(f"/api/v1/orders/{order_id}/hold", json={"reason": "credit"}, headers=WHO)
    assert (late.status_code, late.json["error"]) == (422, "not_holdable")
    nobody = seeded.post(f"/api/v1/orders/{order_id}/hold", json={"reason": "credit"})
    assert (nobody.status_code, nobody.json["error"]) == (422, "operator_required")
    not_held = seeded.post(f"/api/v1/orders/{order_id}/release-hold", json={"reason": "ok"}, headers=WHO)
    assert (not_held.status_code, not_held.json["error"]) == (422, "not_on_hold")
    missing = seeded.post("/api/v1/orders/SO-999999/cancel", json={"reason": "x"}, headers=WHO)
    assert (missing.status_code, missing.json["error"]) == (404, "unknown_order")
    no_reason = seeded.post(f"/api/v1/orders/{order_id}/cancel", json={}, headers=WHO)
    assert no_reason.status_code == 422
    assert dump(db_path) == before


def test_cancel_before_allocation_is_immediate_and_sends_nothing(seeded, db_path):
    order_id = seeded.post("/api/v1/orders", json=MUGS).json["order_id"]
    reply = seeded.post(f"/api/v1/orders/{order_id}/cancel", json={"reason": "customer changed mind"}, headers=WHO)
    assert (reply.json["status"], reply.json["history"][-1]["actor"]) == ("cancelled", "dana.credit")
    assert outbox(db_path, "DC01") == [row for row in outbox(db_path, "DC01") if row["type"] == "item.upserted"]
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 50))
    assert seeded.get("/api/v1/sites/DC01/stock").json["summary"][0]["outstanding"] == 0


def test_cancel_after_allocation_waits_for_the_site(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 50))
    order_id = seeded.post("/api/v1/orders", json=MUGS).json["order_id"]
    feed(db_path, "DC01", status(order_id, "released"))

    reply = seeded.post(f"/api/v1/orders/{order_id}/cancel", json={"reason": "duplicate order"}, headers=WHO)

    assert reply.json["status"] == "cancel_requested"
    assert allocated_commands(db_path, "DC01", "order.cancelled") == [
        {"order_id": order_id, "reason": "duplicate order"}]
    again = seeded.post(f"/api/v1/orders/{order_id}/cancel", json={"reason": "again"}, headers=WHO)
    assert again.status_code == 200 and len(allocated_commands(db_path, "DC01", "order.cancelled")) == 1
    # the site's picking report crossed the cancel on the wire: kept in history, status unchanged
    feed(db_path, "DC01", status(order_id, "picking"))
    assert seeded.get(f"/api/v1/orders/{order_id}").json["status"] == "cancel_requested"
    feed(db_path, "DC01", status(order_id, "cancelled", "duplicate order"))
    order = seeded.get(f"/api/v1/orders/{order_id}").json
    assert order["status"] == "cancelled"
    assert [h["status"] for h in order["history"]][-3:] == ["cancel_requested", "picking", "cancelled"]
    assert seeded.get("/api/v1/sites/DC01/stock").json["summary"][0]["outstanding"] == 0


def test_a_cancel_that_reaches_a_site_after_shipping_is_refused(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 50))
    order_id = seeded.post("/api/v1/orders", json=MUGS).json["order_id"]
    assert seeded.post(f"/api/v1/orders/{order_id}/cancel", json={"reason": "late"}, headers=WHO).json[
        "status"] == "cancel_requested"
    feed(db_path, "DC01", status(order_id, "packed"), status(order_id, "shipped"))
    order = seeded.get(f"/api/v1/orders/{order_id}").json
    assert (order["status"], order["note"]) == ("shipped", "cancel refused: the site had already shipped the order")
    refused = seeded.post(f"/api/v1/orders/{order_id}/cancel", json={"reason": "again"}, headers=WHO)
    assert (refused.status_code, refused.json["error"]) == (409, "cancel_refused")
    assert "already shipped" in refused.json["message"]
