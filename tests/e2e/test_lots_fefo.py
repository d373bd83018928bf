"""Lots received at a site are picked first-expiry-first-out, expired ones never; the centre's per-lot stock matches."""
import uuid

from deploy.processes import http_json

from .flow import SITE, wait_until

GTIN = "05012345678900"  # the blue mug


def label(lot: str, expiry: str) -> str:
    return f"]C101{GTIN}10{lot}\x1d17{expiry}"


def op(body: dict | None = None) -> dict:
    return dict(body or {}, op_id=str(uuid.uuid4()))


def test_lots_are_picked_fefo_never_expired_and_the_centre_sees_each_lot_move(network):
    created = http_json("POST", f"{network.central.url}/api/v1/sites/{SITE}/asns", {
        "asn_id": "ASN-LOTS-1", "supplier": "Potteries Ltd", "lines": [{"sku": "SKU-BLUE-MUG", "qty": 17}]})
    assert created[0] == 201, created
    picker = network.picker()
    wait_until(lambda: any(r["receipt_id"] == "ASN-LOTS-1" for r in picker.get("/api/v1/receipts")["receipts"]),
               30, "the site to receive the ASN")
    where = {}
    for lot, expiry, qty in (("L-LATE", "301231", 8), ("L-SOON", "300401", 5), ("L-OLD", "250101", 4)):
        received = picker.post("/api/v1/receipts/ASN-LOTS-1/items", op({"barcode": label(lot, expiry), "qty": qty}))
        [task] = received["putaway_tasks"]
        # Zone A runs out of locations free of other mug expiries: the last lot goes to zone B, with a reason.
        barcode = task["suggested_barcode"] or "LOC-B-02-01"
        picker.post(f"/api/v1/putaway-tasks/{task['task_id']}/confirm",
                    op({"location_barcode": barcode, "reason": "" if task["suggested_barcode"] else "zone A full"}))
        where[lot] = barcode.removeprefix("LOC-")

    order_id = network.create_order([{"sku": "SKU-BLUE-MUG", "qty": 7}], "LOTS-1")
    tasks = wait_until(lambda: picker.my_tasks(10) or None, 30, "the site to release the order")
    assert sorted((t["lot"], t["location"], t["qty"]) for t in tasks) == [
        ("L-LATE", where["L-LATE"], 2), ("L-SOON", where["L-SOON"], 5)]
    for task in tasks:
        path = f"/api/v1/tasks/{task['task_id']}"
        picker.post(f"{path}/location-scan", op({"barcode": task["location_barcode"]}))
        picker.post(f"{path}/picks", op({"barcode": GTIN, "qty": task["qty"], "lot": task["lot"],
                                         "expiry": task["lot_expiry"]}))
    wait_until(lambda: network.central_order(order_id)["status"] == "picked" or None, 30, "the centre to see it")

    network.assert_synced_exactly_once()  # the centre's stock per location, item and lot equals the edge's
    stock = network.central_stock()
    assert (where["L-SOON"], "SKU-BLUE-MUG", "L-SOON") not in stock  # all 5 picked
    assert stock[(where["L-LATE"], "SKU-BLUE-MUG", "L-LATE")] == 6
    assert stock[(where["L-OLD"], "SKU-BLUE-MUG", "L-OLD")] == 4  # expired: never picked
