"""Customer returns and put-backs through the edge API over a real SQLite file (issues 9 and 7)."""
import sqlite3

import pytest

from edge.adapters.return_queries import open_put_backs, return_exceptions

from edge_api_support import ITEMS, add_login, dump, log_in, op, outbox, stock


def ship(client, centre, sam, order_id: str, lines: list[tuple[str, int]]) -> None:
    """Allocate, pick, pack and ship an order the way the floor does."""
    centre.allocate(order_id, lines)
    pick(client, sam, len(lines))
    assert client.post(f"/api/v1/orders/{order_id}/cartons", headers=sam, json={"op_id": op()}).status_code == 201
    shipped = client.post(f"/api/v1/orders/{order_id}/shipment", headers=sam, json={"op_id": op()})
    assert shipped.status_code == 200, shipped.json


def pick(client, sam, tasks: int) -> None:
    for _ in range(tasks):
        task = client.get("/api/v1/tasks/next", headers=sam).json["task"]
        client.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=sam,
                    json={"op_id": op(), "barcode": task["location_barcode"]})
        done = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=sam,
                           json={"op_id": op(), "barcode": task["sku"], "qty": task["qty"]})
        assert done.status_code == 200, done.json


def rma(centre, rma_id="RMA-1", order_id="SO-1", lines=(("SKU-BLUE-MUG", 2),)) -> None:
    centre.send("return.expected", {"rma_id": rma_id, "order_id": order_id, "reason": "wrong colour",
                                    "lines": [{"sku": sku, "qty": qty, "item": ITEMS[sku]} for sku, qty in lines]})


def items(client, sam, return_id: str, **body):
    return client.post(f"/api/v1/returns/{return_id}/items", headers=sam, json={"op_id": op(), "qty": 1} | body)


def read(db_path, query):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return query(conn)


@pytest.fixture
def shipped(client, centre, sam):
    ship(client, centre, sam, "SO-1", [("SKU-BLUE-MUG", 3), ("SKU-KETTLE", 1)])
    return "SO-1"


def test_an_rma_is_restocked_quarantined_and_scrapped_with_a_delta_and_reason_each(client, centre, sam, db_path,
                                                                                   shipped):
    rma(centre, lines=(("SKU-BLUE-MUG", 2), ("SKU-TEAPOT", 1)))
    found = client.get("/api/v1/returns/RMA-1", headers=sam).json
    mug = next(line for line in found["lines"] if line["sku"] == "SKU-BLUE-MUG")
    assert (mug["shipped_qty"], mug["expected_qty"], mug["restock_location"], mug["restock_barcode"]) == (
        3, 2, "A-01-01", "LOC-A-01-01")
    before, seq = stock(db_path), outbox(db_path)[-1]["seq"]

    restocked = items(client, sam, "RMA-1", barcode="05012345678900", condition="restock",
                      location_barcode="LOC-A-01-01")
    assert restocked.status_code == 201, restocked.json
    assert restocked.json["putaway_task"]["status"] == "done" and "restocked at A-01-01" in restocked.json["message"]
    assert items(client, sam, "RMA-1", barcode="SKU-BLUE-MUG", condition="quarantine").status_code == 201
    no_reason = items(client, sam, "RMA-1", barcode="SKU-KETTLE", condition="scrap")
    assert (no_reason.status_code, no_reason.json["error"]) == (422, "scrap_needs_reason")
    assert items(client, sam, "RMA-1", barcode="SKU-KETTLE", condition="scrap", reason="Broken").status_code == 201

    after = stock(db_path)
    assert after[("A-01-01", "SKU-BLUE-MUG")] == before[("A-01-01", "SKU-BLUE-MUG")] + 1
    assert after[("QUAR", "SKU-BLUE-MUG")] == 1 and after.get(("QUAR", "SKU-KETTLE"), 0) == 0
    deltas = [(e["data"]["location"], e["data"]["sku"], e["data"]["qty_delta"], e["data"]["reason"])
              for e in outbox(db_path, seq) if e["type"] == "stock.changed"]
    assert deltas == [("RECV", "SKU-BLUE-MUG", 1, "return"), ("RECV", "SKU-BLUE-MUG", -1, "putaway"),
                      ("A-01-01", "SKU-BLUE-MUG", 1, "putaway"), ("QUAR", "SKU-BLUE-MUG", 1, "return"),
                      ("QUAR", "SKU-KETTLE", 1, "return"), ("QUAR", "SKU-KETTLE", -1, "scrap")]

    closed = client.post("/api/v1/returns/RMA-1/close", headers=sam, json={"op_id": op()})
    assert closed.status_code == 200 and "SKU-TEAPOT: 0 of 1 announced" in closed.json["message"]
    recorded = outbox(db_path)[-1]
    assert recorded["type"] == "return.recorded" and recorded["data"]["rma_id"] == "RMA-1"
    assert [(x["sku"], x["qty"], x["condition"]) for x in recorded["data"]["lines"]] == [
        ("SKU-BLUE-MUG", 1, "restock"), ("SKU-BLUE-MUG", 1, "quarantine"), ("SKU-KETTLE", 1, "scrap")]
    kinds = {(x["sku"], x["kind"]) for x in read(db_path, return_exceptions)}
    assert kinds == {("SKU-TEAPOT", "fewer_than_announced"), ("SKU-KETTLE", "not_announced")}


def test_over_returns_unknown_items_and_unshipped_orders_are_refused_and_change_nothing(client, centre, sam, db_path,
                                                                                        shipped):
    lines = client.get("/api/v1/returnable-orders/SO-1", headers=sam).json["lines"]
    assert [(line["sku"], line["shipped_qty"], line["returned_before"]) for line in lines] == [
        ("SKU-BLUE-MUG", 3, 0), ("SKU-KETTLE", 1, 0)]
    opened = client.post("/api/v1/returns", headers=sam, json={"op_id": op(), "return_id": "RT-1", "order_id": "SO-1"})
    assert opened.status_code == 201, opened.json
    assert items(client, sam, "RT-1", barcode="SKU-BLUE-MUG", qty=2, condition="restock").status_code == 201
    centre.allocate("SO-2", [("SKU-TEAPOT", 1)])  # released, not shipped; and the site knows teapots now
    snapshot = dump(db_path)
    refusals = [
        (items(client, sam, "RT-1", barcode="SKU-BLUE-MUG", qty=2, condition="restock"), 409, "over_return"),
        (items(client, sam, "RT-1", barcode="SKU-NOPE", condition="restock"), 409, "unknown_item"),
        (items(client, sam, "RT-1", barcode="SKU-TEAPOT", condition="restock"), 409, "not_on_order"),
        (items(client, sam, "RT-404", barcode="SKU-KETTLE", condition="restock"), 404, "unknown_return"),
        (items(client, sam, "RT-1", barcode="SKU-KETTLE", condition="resell"), 422, "invalid_input"),
    ]
    for order_id, status, code in (("SO-2", 409, "order_not_shipped"), ("SO-404", 404, "unknown_order")):
        answer = client.post("/api/v1/returns", headers=sam, json={"op_id": op(), "return_id": "RT-2",
                                                                   "order_id": order_id})
        refusals.append((answer, status, code))
    refusals.append((client.get("/api/v1/returnable-orders/SO-2", headers=sam), 409, "order_not_shipped"))
    for answer, status, code in refusals:
        assert (answer.status_code, answer.json["error"]) == (status, code), answer.json
        assert answer.json["message"]
    assert dump(db_path, skip=("refused_ops",)) == {k: v for k, v in snapshot.items() if k != "refused_ops"}
    # the lead hears of every parcel or item set aside at the desk, on the Exceptions page
    with sqlite3.connect(db_path) as conn:
        logged = conn.execute("SELECT endpoint, code FROM refused_ops ORDER BY id").fetchall()
    assert logged == [("return_items", "over_return"), ("return_items", "unknown_item"),
                      ("return_items", "not_on_order"), ("start_return", "order_not_shipped"),
                      ("start_return", "unknown_order")]
    waiting = client.get("/api/v1/putaway-tasks", headers=sam).json["tasks"]
    assert [(t["receipt_id"], t["from_location"], t["qty"], t["suggested_location"]) for t in waiting] == [
        ("RT-1", "RECV", 2, "A-01-01")]


def test_a_cancel_after_picking_opens_put_backs_that_move_the_goods_from_pack_to_their_slot(client, centre, sam,
                                                                                           db_path):
    centre.allocate("SO-3", [("SKU-BLUE-MUG", 2), ("SKU-KETTLE", 1)])
    pick(client, sam, 1)
    before = stock(db_path)
    centre.send("order.cancelled", {"order_id": "SO-3", "reason": "customer called"})
    centre.send("order.cancelled", {"order_id": "SO-3", "reason": "customer called"})  # a repeat opens no more
    [put_back] = read(db_path, open_put_backs)
    assert (put_back["order_id"], put_back["sku"], put_back["qty"], put_back["suggested"]) == (
        "SO-3", "SKU-BLUE-MUG", 2, "A-01-01")
    listed = client.get("/api/v1/putaway-tasks", headers=sam).json["tasks"]
    assert [(t["kind"], t["from_location"], t["suggested_barcode"]) for t in listed] == [
        ("put_back", "PACK", "LOC-A-01-01")]
    elsewhere = client.post(f"/api/v1/putaway-tasks/{put_back['task_id']}/confirm", headers=sam,
                            json={"op_id": op(), "location_barcode": "LOC-C-01-01"})
    assert (elsewhere.status_code, elsewhere.json["error"]) == (409, "override_needs_reason")
    done = client.post(f"/api/v1/putaway-tasks/{put_back['task_id']}/confirm", headers=sam,
                       json={"op_id": op(), "location_barcode": "LOC-A-01-01"})
    assert done.status_code == 200 and "put back at A-01-01" in done.json["message"]
    after = stock(db_path)
    assert after.get(("PACK", "SKU-BLUE-MUG"), 0) == before[("PACK", "SKU-BLUE-MUG")] - 2 == 0
    assert after[("A-01-01", "SKU-BLUE-MUG")] == before[("A-01-01", "SKU-BLUE-MUG")] + 2
    reasons = {e["data"]["reason"] for e in outbox(db_path)[-2:]}
    assert reasons == {"put_back"} and read(db_path, open_put_backs) == []


def test_a_return_short_of_its_rma_is_on_the_exceptions_page_until_acknowledged(client, centre, sam, db_path,
                                                                                 shipped):
    add_login(db_path, "maria", "lead")
    lead = log_in(client, "maria")
    rma(centre)
    assert items(client, sam, "RMA-1", barcode="SKU-BLUE-MUG", condition="quarantine").status_code == 201
    client.post("/api/v1/returns/RMA-1/close", headers=sam, json={"op_id": op()})
    page = client.get("/exceptions").get_data(as_text=True)
    assert "<strong>RMA-1</strong> (order SO-1): 1 × SKU-BLUE-MUG came back, 2 announced" in page
    [difference] = read(db_path, return_exceptions)
    answer = client.post(f"/exceptions/return_difference/{difference['id']}/resolve",
                         data={"csrf_token": lead, "action": "acknowledge", "reason": "customer kept one"})
    assert answer.status_code == 303
    assert "No return differs from its RMA." in client.get("/exceptions").get_data(as_text=True)
