"""Allocation across sites: splits, re-allocation of short picks, transfers, and network inventory."""
from central_support import feed, outbox, site_event, status, stock

WHO = {"X-Operator": "kim.orders"}


def order(lines, **fields):
    return {"customer": "Acme Ltd", "requested_ship_date": "2025-03-10",
            "lines": [{"sku": sku, "qty": qty} for sku, qty in lines], **fields}


def allocated_to(db_path, site):
    return [row["data"]["order_id"] for row in outbox(db_path, site) if row["type"] == "order.allocated"]


def test_one_site_is_preferred_and_an_order_splits_only_when_allowed_and_needed(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 6), stock("B-01-01", "SKU-KETTLE", 1))
    feed(db_path, "DC02", stock("A-01-01", "SKU-BLUE-MUG", 5))
    whole = seeded.post("/api/v1/orders", json=order([("SKU-BLUE-MUG", 4)], allow_split=True)).json
    assert (whole["status"], whole["site_id"], whole["parts"]) == ("allocated", "DC01", [])
    # left: DC01 2 mugs + 1 kettle, DC02 5 mugs. 6 mugs and a kettle fit no single site.
    unsplit = seeded.post("/api/v1/orders", json=order([("SKU-BLUE-MUG", 6), ("SKU-KETTLE", 1)])).json
    assert (unsplit["status"], unsplit["note"]) == ("received", "waiting for stock at any site")
    split = seeded.post("/api/v1/orders", json=order([("SKU-BLUE-MUG", 6), ("SKU-KETTLE", 1)], allow_split=True)).json

    assert (split["status"], split["site_id"]) == ("split", None)
    parts = {p["site_id"]: seeded.get(f"/api/v1/orders/{p['order_id']}").json for p in split["parts"]}
    assert {site: [(l["sku"], l["qty"]) for l in p["lines"]] for site, p in parts.items()} == {
        "DC02": [("SKU-BLUE-MUG", 5)], "DC01": [("SKU-BLUE-MUG", 1), ("SKU-KETTLE", 1)]}
    assert [p["order_id"] for p in split["parts"]] == [f"{split['order_id']}-1", f"{split['order_id']}-2"]
    assert all(p["parent_order_id"] == split["order_id"] and p["status"] == "allocated" for p in parts.values())
    assert allocated_to(db_path, "DC02") == [parts["DC02"]["order_id"]]
    # the parent rolls up once every part is closed
    feed(db_path, "DC02", status(parts["DC02"]["order_id"], "shipped"))
    assert seeded.get(f"/api/v1/orders/{split['order_id']}").json["status"] == "split"
    feed(db_path, "DC01", status(parts["DC01"]["order_id"], "shipped"))
    assert seeded.get(f"/api/v1/orders/{split['order_id']}").json["status"] == "shipped"


def test_cancelling_a_split_order_cancels_each_part(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 3))
    feed(db_path, "DC02", stock("A-01-01", "SKU-BLUE-MUG", 3))
    split = seeded.post("/api/v1/orders", json=order([("SKU-BLUE-MUG", 5)], allow_split=True)).json
    reply = seeded.post(f"/api/v1/orders/{split['order_id']}/cancel", json={"reason": "no longer needed"}, headers=WHO)
    assert reply.json["status"] == "cancel_requested"
    assert [p["status"] for p in reply.json["parts"]] == ["cancel_requested", "cancel_requested"]
    for part in reply.json["parts"]:
        feed(db_path, part["site_id"], status(part["order_id"], "cancelled"))
    assert seeded.get(f"/api/v1/orders/{split['order_id']}").json["status"] == "cancelled"


def short(order_id, qty, line_no=1, sku="SKU-BLUE-MUG"):
    return site_event("task.shorted", {"task_id": "T-9", "order_id": order_id, "line_no": line_no, "sku": sku,
                                       "location": "A-01-01", "qty_short": qty, "reason": "not found",
                                       "picker": "BADGE-0001"})


def test_a_short_pick_goes_to_another_site_with_stock_else_the_line_is_short_closed(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 8))
    feed(db_path, "DC02", stock("A-01-01", "SKU-BLUE-MUG", 2))
    order_id = seeded.post("/api/v1/orders", json=order([("SKU-BLUE-MUG", 8)])).json["order_id"]
    # DC01 finds only 6 and counts the location down to what is there
    feed(db_path, "DC01", status(order_id, "released"), short(order_id, 2),
         stock("A-01-01", "SKU-BLUE-MUG", -2, "adjust"))

    first = seeded.get(f"/api/v1/orders/{order_id}").json
    [part] = first["parts"]
    assert (part["order_id"], part["site_id"], part["status"]) == (f"{order_id}-1", "DC02", "allocated")
    assert first["history"][-1]["note"] == f"2 x SKU-BLUE-MUG short at DC01: re-allocated as {order_id}-1 to DC02"
    assert allocated_to(db_path, "DC02") == [part["order_id"]]
    feed(db_path, "DC02", short(part["order_id"], 1))  # DC02 short too; DC01 owes all it has: short-closed
    assert len(seeded.get(f"/api/v1/orders/{order_id}").json["parts"]) == 1
    closed = seeded.get(f"/api/v1/orders/{part['order_id']}").json
    assert closed["lines"][0]["short_qty"] == 1 and closed["parts"] == []


def test_a_transfer_is_allocated_to_its_source_and_in_transit_until_received(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-KETTLE", 10))
    body = {"from_site": "DC01", "to_site": "DC02", "requested_ship_date": "2025-03-10",
            "lines": [{"sku": "SKU-KETTLE", "qty": 4}]}
    too_much = seeded.post("/api/v1/transfers", json=body | {"lines": [{"sku": "SKU-KETTLE", "qty": 11}]})
    assert (too_much.status_code, too_much.json["error"], too_much.json["errors"]) == (
        409, "not_enough_stock", {"short": {"SKU-KETTLE": 1}})
    assert seeded.post("/api/v1/transfers", json=body | {"to_site": "DC01"}).status_code == 422
    assert seeded.post("/api/v1/transfers", json=body | {"to_site": "DC09"}).json["error"] == "unknown_site"

    transfer = seeded.post("/api/v1/transfers", json=body, headers=WHO).json

    assert (transfer["kind"], transfer["site_id"], transfer["ship_to_site"], transfer["status"]) == (
        "transfer", "DC01", "DC02", "allocated")
    assert allocated_to(db_path, "DC01") == [transfer["order_id"]]
    tid = transfer["order_id"]
    pick = {"task_id": "T-1", "order_id": tid, "line_no": 1, "sku": "SKU-KETTLE", "location": "A-01-01",
            "qty": 4, "picker": "BADGE-0001"}
    feed(db_path, "DC01", site_event("task.picked", pick), stock("A-01-01", "SKU-KETTLE", -4, "pick"),
         stock("PACK", "SKU-KETTLE", 4, "pick"), status(tid, "packed"), stock("PACK", "SKU-KETTLE", -4, "ship"),
         status(tid, "shipped"))
    kettles = seeded.get("/api/v1/inventory?sku=SKU-KETTLE").json
    assert kettles["by_site"] == [
        {"site_id": "DC01", "sku": "SKU-KETTLE", "on_hand": 6, "in_pack": 0, "allocated": 0, "available": 6,
         "in_transit": 0},
        {"site_id": "DC02", "sku": "SKU-KETTLE", "on_hand": 0, "in_pack": 0, "allocated": 0, "available": 0,
         "in_transit": 4}]
    assert kettles["network"] == [{"sku": "SKU-KETTLE", "on_hand": 6, "in_pack": 0, "allocated": 0,
                                   "available": 6, "in_transit": 4}]
    received = seeded.post(f"/api/v1/transfers/{tid}/receipt", json={}, headers=WHO).json
    assert received["transfer_received_at"] and received["history"][-1]["actor"] == "kim.orders"
    feed(db_path, "DC02", stock("R-01-01", "SKU-KETTLE", 4, "count"))
    dc02 = seeded.get("/api/v1/inventory?site=DC02").json
    assert dc02["rows"] == [{"site_id": "DC02", "location": "R-01-01", "sku": "SKU-KETTLE", "lot": "", "qty": 4}]
    assert dc02["by_site"][0]["in_transit"] == 0 and dc02["by_site"][0]["on_hand"] == 4


def test_inventory_shows_allocated_and_available_per_site_and_lot(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 7, lot="L1"), stock("A-01-02", "SKU-BLUE-MUG", 3, lot="L2"))
    seeded.post("/api/v1/orders", json=order([("SKU-BLUE-MUG", 4)]))
    view = seeded.get("/api/v1/inventory?site=DC01&sku=SKU-BLUE-MUG").json
    assert [(r["location"], r["lot"], r["qty"]) for r in view["rows"]] == [("A-01-01", "L1", 7), ("A-01-02", "L2", 3)]
    assert (view["by_site"][0]["on_hand"], view["by_site"][0]["allocated"], view["by_site"][0]["available"]) == (
        10, 4, 6)
    assert seeded.get("/api/v1/inventory?color=blue").status_code == 422
