"""Eye drops in lots for the edge API tests: an ASN that teaches the site the item, then GS1 scans of each lot."""
import sqlite3

from edge_api_support import op

DROPS_GTIN = "05012345678962"
DROPS = {"sku": "SKU-EYE-DROPS", "description": "Eye drops 10 ml", "gtins": [DROPS_GTIN], "tracking": "lot_expiry"}


def gs1(lot: str, expiry: str) -> str:
    """Return the raw scan of the drops' GS1-128 label: GTIN, lot (AI 10), expiry (AI 17)."""
    return f"]C101{DROPS_GTIN}10{lot}\x1d17{expiry}"


def drops_asn(centre, asn_id: str = "ASN-DROPS") -> None:
    centre.send("asn.created", {"asn_id": asn_id, "supplier": "Pharma Ltd", "over_tolerance_pct": 0,
                                "lines": [{"line_no": 1, "sku": "SKU-EYE-DROPS", "qty": 100, "item": DROPS}]})


def receive_lot(client, picker, lot: str, expiry: str, qty: int, asn_id: str = "ASN-DROPS") -> str:
    """Receive a lot and put it away where the site suggests; return that location."""
    received = client.post(f"/api/v1/receipts/{asn_id}/items", headers=picker,
                           json={"op_id": op(), "barcode": gs1(lot, expiry), "qty": qty})
    assert received.status_code == 201, received.json
    [task] = received.json["putaway_tasks"]
    done = client.post(f"/api/v1/putaway-tasks/{task['task_id']}/confirm", headers=picker,
                       json={"op_id": op(), "location_barcode": task["suggested_barcode"]})
    assert done.status_code == 200, done.json
    return task["suggested_location"]


def allocate_drops(centre, order_id: str, qty: int) -> None:
    centre.send("order.allocated", {"order_id": order_id, "customer": "Pharmacy", "priority": 5,
                                    "requested_ship_date": "2030-01-01",
                                    "lines": [{"line_no": 1, "sku": "SKU-EYE-DROPS", "qty": qty, "item": DROPS}]})


def lot_stock(db_path: str, sku: str = "SKU-EYE-DROPS") -> dict:
    with sqlite3.connect(db_path) as conn:
        return {(loc, lot): qty for loc, lot, qty in conn.execute(
            "SELECT location, lot, qty FROM stock WHERE sku = ? AND qty != 0", [sku])}
