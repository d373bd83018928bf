"""An ASN from the centre is received and put away at the site; the centre's stock for the site matches the edge's."""
import uuid

from deploy.processes import http_json
from protocols.labels.check_digits import with_check_digit

from .flow import SITE, wait_until

PALLET = with_check_digit("03501234500000001")
GS1_MUGS = "]C1010501234567890010L2403\x1d17270131"  # the mug's GTIN, lot L2403, expiry 2027-01-31


def op(body: dict | None = None) -> dict:
    return dict(body or {}, op_id=str(uuid.uuid4()))


def test_asn_created_at_the_centre_is_received_and_put_away_and_the_stock_views_agree(network):
    created = http_json("POST", f"{network.central.url}/api/v1/sites/{SITE}/asns", {
        "asn_id": "ASN-E2E-1", "supplier": "Potteries Ltd",
        "lines": [{"sku": "SKU-KETTLE", "qty": 12, "sscc": PALLET}, {"sku": "SKU-BLUE-MUG", "qty": 10}]})
    assert created[0] == 201, created
    before = network.central_stock()

    picker = network.picker()
    receipt = wait_until(lambda: _receipt(picker, "ASN-E2E-1"), 30, "the site to receive the ASN")
    assert receipt["pallets"] == [{"sscc": PALLET, "received": False}]
    pallet = picker.post("/api/v1/receipts/ASN-E2E-1/pallets", op({"sscc": PALLET}))
    mugs = picker.post("/api/v1/receipts/ASN-E2E-1/items", op({"barcode": GS1_MUGS, "qty": 9}))
    closed = picker.post("/api/v1/receipts/ASN-E2E-1/close", op())
    assert "short SKU-BLUE-MUG: 9 of 10" in closed["message"]

    for task in pallet["putaway_tasks"] + mugs["putaway_tasks"]:
        assert task["suggested_location"], task
        picker.post(f"/api/v1/putaway-tasks/{task['task_id']}/confirm",
                    op({"location_barcode": task["suggested_barcode"]}))
    assert picker.get("/api/v1/putaway-tasks")["tasks"] == []

    asn = wait_until(lambda: _asn_received(network), 30, "the centre to see the receipt")
    assert asn["status"] == "received_with_discrepancies"
    assert [(line["sku"], line["received_qty"]) for line in asn["lines"]] == [("SKU-KETTLE", 12), ("SKU-BLUE-MUG", 9)]
    network.assert_synced_exactly_once()
    after = network.central_stock()
    assert after[("B-01-01", "SKU-KETTLE", "")] == before[("B-01-01", "SKU-KETTLE", "")] + 12
    assert [key for key in after if key[0] == "RECV"] == []  # everything left the receiving dock
    assert sum(qty for (loc, sku, lot), qty in after.items() if lot == "L2403") == 9


def _receipt(picker, receipt_id: str) -> dict | None:
    return next((picker.get(f"/api/v1/receipts/{receipt_id}") for r in picker.get("/api/v1/receipts")["receipts"]
                 if r["receipt_id"] == receipt_id), None)


def _asn_received(network) -> dict | None:
    status, asn = http_json("GET", f"{network.central.url}/api/v1/sites/{SITE}/asns/ASN-E2E-1")
    return asn if status == 200 and asn["status"] != "sent" else None
