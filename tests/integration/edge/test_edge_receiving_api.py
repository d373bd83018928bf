"""Receiving and putaway through the edge API over a real SQLite file: ASN from the centre, blind receipts."""
import sqlite3

from edge.adapters.receiving_queries import receiving_exceptions
from protocols.labels.check_digits import with_check_digit

from edge_api_support import ITEMS, dump, op, outbox

PALLET_1 = with_check_digit("03501234500000001")
PALLET_2 = with_check_digit("03501234500000002")
GS1_MUG_LOT = "]C1010501234567890010L2403\x1d17270131"  # GTIN + lot L2403 + expiry 2027-01-31


def asn(centre, asn_id="ASN-1001", tracking="none", tolerance=0) -> None:
    mug = dict(ITEMS["SKU-BLUE-MUG"], tracking=tracking)
    centre.send("asn.created", {
        "asn_id": asn_id, "supplier": "Potteries Ltd", "over_tolerance_pct": tolerance,
        "lines": [{"line_no": 1, "sku": "SKU-KETTLE", "qty": 12, "sscc": PALLET_1, "item": ITEMS["SKU-KETTLE"]},
                  {"line_no": 2, "sku": "SKU-BLUE-MUG", "qty": 10, "item": mug}]})


def stock_rows(db_path) -> dict:
    with sqlite3.connect(db_path) as conn:
        return {(loc, sku, lot): qty for loc, sku, lot, qty in conn.execute(
            "SELECT location, sku, lot, qty FROM stock WHERE qty != 0")}


def test_asn_receipt_by_pallet_and_items_then_putaway_moves_stock_and_reports_each_delta(client, sam, centre,
                                                                                          db_path):
    asn(centre)
    receipt = client.get("/api/v1/receipts/ASN-1001", headers=sam).json
    assert receipt["status"] == "open" and receipt["pallets"] == [{"sscc": PALLET_1, "received": False}]
    assert receipt["lines"][1]["barcodes"] == ["SKU-BLUE-MUG", "05012345678900"]
    before = outbox(db_path)[-1]["seq"]

    pallet = client.post("/api/v1/receipts/ASN-1001/pallets", headers=sam, json={"op_id": op(), "sscc": PALLET_1})
    assert pallet.status_code == 201, pallet.json
    [kettle_task] = pallet.json["putaway_tasks"]
    assert kettle_task["suggested_location"] == "B-01-01"  # the zone and the location already holding kettles
    items = client.post("/api/v1/receipts/ASN-1001/items", headers=sam,
                        json={"op_id": op(), "barcode": "5012345678900", "qty": 9})
    assert items.status_code == 201, items.json
    assert stock_rows(db_path)[("RECV", "SKU-KETTLE", "")] == 12
    assert stock_rows(db_path)[("RECV", "SKU-BLUE-MUG", "")] == 9

    closed = client.post("/api/v1/receipts/ASN-1001/close", headers=sam, json={"op_id": op()})
    assert closed.status_code == 200 and "short SKU-BLUE-MUG: 9 of 10" in closed.json["message"]
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        [short] = receiving_exceptions(conn)
    assert (short["asn_id"], short["sku"], short["expected"], short["received"], short["kind"]) == (
        "ASN-1001", "SKU-BLUE-MUG", 10, 9, "short")

    done = client.post(f"/api/v1/putaway-tasks/{kettle_task['task_id']}/confirm", headers=sam,
                       json={"op_id": op(), "location_barcode": "LOC-B-01-01"})
    assert done.status_code == 200, done.json
    rows = stock_rows(db_path)
    assert ("RECV", "SKU-KETTLE", "") not in rows and rows[("B-01-01", "SKU-KETTLE", "")] == 120 + 12
    events = [(e["type"], e["data"].get("reason"), e["data"].get("location"), e["data"].get("qty_delta"))
              for e in outbox(db_path, before)]
    assert events == [("stock.changed", "receive", "RECV", 12), ("stock.changed", "receive", "RECV", 9),
                      ("receipt.recorded", None, None, None),
                      ("stock.changed", "putaway", "RECV", -12), ("stock.changed", "putaway", "B-01-01", 12)]
    recorded = outbox(db_path, before)[2]["data"]
    assert recorded["discrepancies"] == [{"sku": "SKU-BLUE-MUG", "expected": 10, "received": 9, "kind": "short"}]


def test_a_replayed_receipt_scan_gets_the_first_answer_and_books_nothing_twice(client, sam, centre, db_path):
    asn(centre)
    body = {"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 4}
    first = client.post("/api/v1/receipts/ASN-1001/items", headers=sam, json=body)
    again = client.post("/api/v1/receipts/ASN-1001/items", headers=sam, json=body)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    assert stock_rows(db_path)[("RECV", "SKU-BLUE-MUG", "")] == 4
    assert len(client.get("/api/v1/putaway-tasks", headers=sam).json["tasks"]) == 1


def test_over_receipt_beyond_tolerance_needs_a_reason_and_a_refusal_changes_nothing(client, sam, centre, db_path):
    asn(centre, tolerance=10)
    within = client.post("/api/v1/receipts/ASN-1001/items", headers=sam,
                         json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 11})
    assert within.status_code == 201
    snapshot = dump(db_path)
    refused = client.post("/api/v1/receipts/ASN-1001/items", headers=sam,
                          json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 1})
    assert refused.status_code == 409 and refused.json["error"] == "over_receipt_needs_reason"
    assert "Only 10 x SKU-BLUE-MUG" in refused.json["message"]
    refused_ops = {k: v for k, v in dump(db_path).items() if k != "ops"}
    assert refused_ops == {k: v for k, v in snapshot.items() if k != "ops"}
    with_reason = client.post("/api/v1/receipts/ASN-1001/items", headers=sam,
                              json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 1, "reason": "supplier extra"})
    assert with_reason.status_code == 201


def test_lot_and_expiry_come_from_the_gs1_label_and_lots_with_other_expiry_never_share_a_location(
        client, sam, centre, db_path):
    asn(centre, tracking="lot_expiry")
    untraced = client.post("/api/v1/receipts/ASN-1001/items", headers=sam,
                           json={"op_id": op(), "barcode": "SKU-BLUE-MUG", "qty": 5})
    assert untraced.status_code == 422 and untraced.json["error"] == "tracking_required"
    first = client.post("/api/v1/receipts/ASN-1001/items", headers=sam,
                        json={"op_id": op(), "barcode": GS1_MUG_LOT, "qty": 5})
    assert first.status_code == 201, first.json
    [task] = first.json["putaway_tasks"]
    assert (task["lot"], task["expiry"]) == ("L2403", "270131")
    # zone A (most mugs); A-01-01 holds mugs with no expiry, so the next location in the walk
    assert task["suggested_location"] == "A-01-02" and task["suggested_barcode"] == "LOC-A-01-02"
    mixed = client.post(f"/api/v1/putaway-tasks/{task['task_id']}/confirm", headers=sam,
                        json={"op_id": op(), "location_barcode": "LOC-A-01-01", "reason": "closer"})
    assert mixed.status_code == 409 and mixed.json["error"] == "expiry_mix"
    override = client.post(f"/api/v1/putaway-tasks/{task['task_id']}/confirm", headers=sam,
                           json={"op_id": op(), "location_barcode": "LOC-A-02-01"})
    assert override.status_code == 409 and override.json["error"] == "override_needs_reason"
    ok = client.post(f"/api/v1/putaway-tasks/{task['task_id']}/confirm", headers=sam,
                     json={"op_id": op(), "location_barcode": "LOC-A-02-01", "reason": "suggested one blocked"})
    assert ok.status_code == 200, ok.json
    assert ok.json["task"]["override_reason"] == "suggested one blocked"
    assert stock_rows(db_path)[("A-02-01", "SKU-BLUE-MUG", "L2403")] == 5
    conflicting = client.post("/api/v1/receipts/ASN-1001/items", headers=sam,
                              json={"op_id": op(), "barcode": "05012345678900", "qty": 1, "lot": "L2403",
                                    "expiry": "280101"})
    assert conflicting.status_code == 409 and conflicting.json["error"] == "lot_expiry_mismatch"


def test_blind_receipt_damaged_goods_go_to_quarantine_and_become_an_exception(client, sam, centre, db_path):
    centre.send("item.upserted", ITEMS["SKU-TEAPOT"])
    started = client.post("/api/v1/receipts", headers=sam,
                          json={"op_id": op(), "receipt_id": "BL-0001", "supplier": "Walk-in"})
    assert started.status_code == 201 and started.json["receipt"]["blind"] is True
    taken = client.post("/api/v1/receipts", headers=sam, json={"op_id": op(), "receipt_id": "BL-0001"})
    assert taken.status_code == 409 and taken.json["error"] == "receipt_exists"
    ok = client.post("/api/v1/receipts/BL-0001/items", headers=sam,
                     json={"op_id": op(), "barcode": "SKU-TEAPOT", "qty": 30})
    damaged = client.post("/api/v1/receipts/BL-0001/items", headers=sam,
                          json={"op_id": op(), "barcode": "SKU-TEAPOT", "qty": 2, "condition": "damaged"})
    assert ok.status_code == 201 and damaged.status_code == 201 and damaged.json["putaway_tasks"] == []
    assert stock_rows(db_path)[("QUAR", "SKU-TEAPOT", "")] == 2
    closed = client.post("/api/v1/receipts/BL-0001/close", headers=sam, json={"op_id": op()})
    assert closed.json["receipt"]["discrepancies"] == [
        {"sku": "SKU-TEAPOT", "expected": 0, "received": 2, "kind": "damaged"}]
    late = client.post("/api/v1/receipts/BL-0001/items", headers=sam,
                       json={"op_id": op(), "barcode": "SKU-TEAPOT", "qty": 1})
    assert late.status_code == 409 and late.json["error"] == "receipt_closed"


def test_refusals_are_clear_json_for_unknown_receipts_items_pallets_and_locations(client, sam, centre):
    asn(centre)
    cases = [
        ("/api/v1/receipts/ASN-404/items", {"barcode": "SKU-KETTLE", "qty": 1}, 404, "unknown_receipt"),
        ("/api/v1/receipts/ASN-1001/items", {"barcode": "SKU-NOPE", "qty": 1}, 409, "unknown_item"),
        ("/api/v1/receipts/ASN-1001/pallets", {"sscc": PALLET_2}, 409, "unknown_pallet"),
        ("/api/v1/receipts/ASN-1001/pallets", {"sscc": "LOC-A-01-01"}, 409, "bad_barcode"),
        ("/api/v1/receipts/ASN-1001/items", {"barcode": "SKU-KETTLE", "qty": 0}, 422, "invalid_input"),
        ("/api/v1/receipts/ASN-1001/items", {"barcode": "SKU-KETTLE", "qty": 1, "condition": "wet"}, 422,
         "invalid_input"),
        ("/api/v1/putaway-tasks/DC01-P999999/confirm", {"location_barcode": "LOC-A-01-01"}, 404,
         "unknown_putaway_task"),
    ]
    for path, body, status, code in cases:
        answer = client.post(path, headers=sam, json={"op_id": op(), **body})
        assert (answer.status_code, answer.json["error"]) == (status, code), (path, answer.json)
        assert answer.json["message"]
    pallet = client.post("/api/v1/receipts/ASN-1001/pallets", headers=sam, json={"op_id": op(), "sscc": PALLET_1})
    [task] = pallet.json["putaway_tasks"]
    unknown = client.post(f"/api/v1/putaway-tasks/{task['task_id']}/confirm", headers=sam,
                          json={"op_id": op(), "location_barcode": "LOC-Z-99"})
    assert unknown.status_code == 409 and unknown.json["error"] == "unknown_location"
    twice = client.post("/api/v1/receipts/ASN-1001/pallets", headers=sam, json={"op_id": op(), "sscc": PALLET_1})
    assert twice.status_code == 409 and twice.json["error"] == "pallet_already_received"
    assert client.get("/api/v1/receipts/ASN-404", headers=sam).status_code == 404


def test_a_repeated_asn_command_changes_nothing_and_receipts_are_listed(client, sam, centre, db_path):
    asn(centre)
    snapshot = dump(db_path)
    asn(centre)
    assert {k: v for k, v in dump(db_path).items() if not k.startswith("sync_")} == {
        k: v for k, v in snapshot.items() if not k.startswith("sync_")}
    listed = client.get("/api/v1/receipts?status=open", headers=sam).json["receipts"]
    assert [(r["receipt_id"], r["expected_qty"], r["received_qty"], r["blind"]) for r in listed] == [
        ("ASN-1001", 22, 0, False)]
