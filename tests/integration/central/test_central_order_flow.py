"""An order end to end at the centre: stock from sites, allocation, command down, progress up."""
from central.adapters.hub_hooks import AllocationRetryPump, apply_event
from central.bootstrap import bootstrap_bus
from central.service.commands import AllocateWaitingOrders
from central_support import feed, outbox, site_event, status, stock
from protocols.messages.central_commands import load_central_command_data
from sync.sqlite_store import SqliteInboxStore, read_connection

ORDER = {"external_ref": "PO-4471", "customer": "Acme Ltd", "priority": 3, "requested_ship_date": "2025-03-10",
         "lines": [{"sku": "SKU-BLUE-MUG", "qty": 6}, {"sku": "SKU-KETTLE", "qty": 1}]}


def test_an_order_goes_to_the_site_that_can_fill_it_with_its_command(seeded, db_path, sync):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 400), stock("B-01-01", "SKU-KETTLE", 120))
    feed(db_path, "DC02", stock("A-01-01", "SKU-BLUE-MUG", 500))  # more mugs, but no kettles
    nudges_before = sync.nudges

    reply = seeded.post("/api/v1/orders", json=ORDER)

    assert reply.status_code == 201
    order = reply.json
    assert (order["order_id"], order["status"], order["site_id"]) == ("SO-000001", "allocated", "DC01")
    [command] = [row for row in outbox(db_path, "DC01") if row["type"] == "order.allocated"]
    data = load_central_command_data("order.allocated", command["data"])
    assert data["order_id"] == "SO-000001" and data["priority"] == 3
    assert data["lines"][1] == {"line_no": 2, "sku": "SKU-KETTLE", "qty": 1,
                                "item": {"sku": "SKU-KETTLE", "description": "Kettle 1.7 l, steel",
                                         "gtins": ["05012345678931"], "tracking": "none"}}
    assert not [row for row in outbox(db_path, "DC02") if row["type"] == "order.allocated"]
    assert sync.nudges == nudges_before + 1


def test_the_site_with_most_available_wins(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 10), stock("A-02-01", "SKU-BLUE-MUG", 5))
    feed(db_path, "DC02", stock("A-01-01", "SKU-BLUE-MUG", 12), stock("PACK", "SKU-BLUE-MUG", 50))
    reply = seeded.post("/api/v1/orders", json={"customer": "Acme Ltd", "requested_ship_date": "2025-03-10",
                                                "lines": [{"sku": "SKU-BLUE-MUG", "qty": 5}]})
    assert reply.json["site_id"] == "DC01"  # 15 on shelves beats 12 (PACK does not count)


def test_received_and_quarantined_stock_is_not_allocated(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 4))
    feed(db_path, "DC02", stock("RECV", "SKU-BLUE-MUG", 40, "receive"), stock("QUAR", "SKU-BLUE-MUG", 40, "receive"),
         stock("A-01-01", "SKU-BLUE-MUG", 2))
    reply = seeded.post("/api/v1/orders", json={"customer": "Acme Ltd", "requested_ship_date": "2025-03-10",
                                                "lines": [{"sku": "SKU-BLUE-MUG", "qty": 5}]})
    assert reply.json["status"] == "received"  # neither site has 5 on pickable shelves
    feed(db_path, "DC02", stock("RECV", "SKU-BLUE-MUG", -40, "putaway"), stock("A-02-01", "SKU-BLUE-MUG", 40, "putaway"))
    bootstrap_bus(db_path).handle(AllocateWaitingOrders())  # what the retry pump does after new site events
    assert seeded.get(f"/api/v1/orders/{reply.json['order_id']}").json["site_id"] == "DC02"


def test_progress_from_the_site_shows_on_the_order(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 10), stock("B-01-01", "SKU-KETTLE", 1))
    order_id = seeded.post("/api/v1/orders", json=ORDER).json["order_id"]
    pick = {"task_id": "T-1", "order_id": order_id, "line_no": 1, "sku": "SKU-BLUE-MUG", "location": "A-01-01",
            "qty": 6, "picker": "BADGE-0001"}
    short = {"task_id": "T-2", "order_id": order_id, "line_no": 2, "sku": "SKU-KETTLE", "location": "B-01-01",
             "qty_short": 1, "reason": "damaged", "picker": "BADGE-0001"}
    feed(db_path, "DC01", status(order_id, "released"), status(order_id, "picking"),
         site_event("task.picked", pick), stock("A-01-01", "SKU-BLUE-MUG", -6, "pick"),
         stock("PACK", "SKU-BLUE-MUG", 6, "pick"), site_event("task.shorted", short), status(order_id, "short"),
         status(order_id, "packed"), stock("PACK", "SKU-BLUE-MUG", -6, "ship"), status(order_id, "shipped", "DPD"))

    order = seeded.get(f"/api/v1/orders/{order_id}").json
    assert order["status"] == "shipped"
    assert [(l["picked_qty"], l["short_qty"]) for l in order["lines"]] == [(6, 0), (0, 1)]
    assert [(h["status"], h["source"]) for h in order["history"]] == [
        ("received", "central"), ("allocated", "central"), ("released", "DC01"), ("picking", "DC01"),
        ("short", "DC01"), ("packed", "DC01"), ("shipped", "DC01")]
    assert order["history"][-1]["note"] == "DPD"
    stock_view = seeded.get("/api/v1/sites/DC01/stock").json
    assert {(r["location"], r["sku"]): r["qty"] for r in stock_view["stock"]}[("PACK", "SKU-BLUE-MUG")] == 0
    mug = next(s for s in stock_view["summary"] if s["sku"] == "SKU-BLUE-MUG")
    assert mug == {"sku": "SKU-BLUE-MUG", "on_hand": 4, "in_pack": 0, "outstanding": 0, "available": 4}
    assert [o["order_id"] for o in seeded.get("/api/v1/orders?status=shipped&site=DC01").json] == [order_id]
    assert seeded.get("/api/v1/orders?status=allocated").json == []


def test_open_orders_hold_their_stock_until_picked(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 8))
    line = {"customer": "Acme Ltd", "requested_ship_date": "2025-03-10", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 5}]}
    first = seeded.post("/api/v1/orders", json=line).json
    second = seeded.post("/api/v1/orders", json=line).json
    assert (first["status"], second["status"]) == ("allocated", "received")
    assert second["note"] == "waiting for stock at any site"
    summary = seeded.get("/api/v1/sites/DC01/stock").json["summary"]
    assert summary == [{"sku": "SKU-BLUE-MUG", "on_hand": 8, "in_pack": 0, "outstanding": 5, "available": 3}]


def test_waiting_orders_are_allocated_by_the_pump_after_stock_arrives(seeded, db_path):
    order_id = seeded.post("/api/v1/orders", json={"customer": "Acme Ltd", "requested_ship_date": "2025-03-10",
                                                   "lines": [{"sku": "SKU-KETTLE", "qty": 2}]}).json["order_id"]
    bus = bootstrap_bus(db_path)
    clock = [100.0]
    pump = AllocationRetryPump(db_path, lambda: bus.handle(AllocateWaitingOrders()), interval=1.0,
                               clock=lambda: clock[0])
    inbox = SqliteInboxStore(db_path)
    inbox.apply_batch("DC02", 1, [stock("B-01-01", "SKU-KETTLE", 1) | {"seq": 1}], apply_event)
    assert pump() is True  # tried: the inbox moved, but one kettle is not enough
    assert seeded.get(f"/api/v1/orders/{order_id}").json["status"] == "received"
    clock[0] += 5
    assert pump() is False  # nothing new from any site: no retry
    inbox.apply_batch("DC02", 1, [stock("B-01-01", "SKU-KETTLE", 1) | {"seq": 2}], apply_event)
    assert pump() is False  # too soon after the last check
    clock[0] += 1
    assert pump() is True
    order = seeded.get(f"/api/v1/orders/{order_id}").json
    assert (order["status"], order["site_id"], order["note"]) == ("allocated", "DC02", "")
    assert [row["type"] for row in outbox(db_path, "DC02")][-1] == "order.allocated"


def test_a_report_on_another_sites_order_is_dead_lettered_and_changes_nothing(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 10))
    order_id = seeded.post("/api/v1/orders", json={"customer": "Acme Ltd", "requested_ship_date": "2025-03-10",
                                                   "lines": [{"sku": "SKU-BLUE-MUG", "qty": 1}]}).json["order_id"]
    inbox = SqliteInboxStore(db_path)
    events = [status(order_id, "shipped") | {"seq": 1}, stock("A-01-01", "SKU-BLUE-MUG", 3) | {"seq": 2}]
    assert inbox.apply_batch("DC02", 1, events, apply_event) == (2, False)
    assert inbox.apply_batch("DC02", 1, events, apply_event) == (2, False)  # a resend is a no-op
    assert seeded.get(f"/api/v1/orders/{order_id}").json["status"] == "allocated"
    with read_connection(db_path) as conn:
        outcomes = conn.execute("SELECT seq, outcome, reason FROM sync_inbox WHERE stream = 'DC02' ORDER BY seq")
        assert [tuple(r) for r in outcomes] == [
            (1, "rejected", f"order {order_id} is not allocated to site DC02"), (2, "applied", None)]
        (dead,) = conn.execute("SELECT COUNT(*) FROM sync_dead_letters").fetchone()
    assert dead == 1
    assert seeded.get("/api/v1/sites/DC02/stock").json["stock"] == [
        {"location": "A-01-01", "sku": "SKU-BLUE-MUG", "lot": "", "qty": 3}]


def test_locations_reported_by_a_site_are_listed_in_pick_order(seeded, db_path):
    feed(db_path, "DC01",
         site_event("location.upserted", {"location": "B-01-01", "barcode": "LOC-B-01-01", "zone": "B", "pick_seq": 40}),
         site_event("location.upserted", {"location": "A-01-01", "barcode": "LOC-A-01-01", "zone": "A", "pick_seq": 10}))
    assert [l["location"] for l in seeded.get("/api/v1/sites/DC01/locations").json] == ["A-01-01", "B-01-01"]
    assert seeded.get("/api/v1/sites/DC09/locations").status_code == 404
