"""Returns and put-backs end to end over real Mosquitto, SQLite and HTTP: the centre's stock matches the site's."""
import uuid

import pytest

from deploy.processes import http_json
from handheld.edge_client import EdgeRefused

from .flow import pick_everything, wait_until


def op(body: dict | None = None) -> dict:
    return dict(body or {}, op_id=str(uuid.uuid4()))


def test_an_rma_and_an_unannounced_return_are_inspected_and_the_centre_sees_both_once(network):
    order_id = network.create_order([{"sku": "SKU-BLUE-MUG", "qty": 3}, {"sku": "SKU-KETTLE", "qty": 1}], "E2E-R1")
    wait_until(lambda: network.central_order(order_id)["status"] == "released", 30, "the site to release the order")
    picker = network.picker()
    assert pick_everything(picker) == 2
    picker.close_carton(order_id)
    picker.ship(order_id)
    wait_until(lambda: network.central_order(order_id)["status"] == "shipped", 30, "the centre to see the shipment")
    before = network.central_stock()

    status, rma = http_json("POST", f"{network.central.url}/api/v1/orders/{order_id}/returns",
                            {"rma_id": "RMA-E2E-1", "reason": "wrong colour",
                             "lines": [{"sku": "SKU-BLUE-MUG", "qty": 2}]})
    assert status == 201, rma
    found = wait_until(lambda: _return(picker, "RMA-E2E-1"), 30, "the site to receive the RMA")
    mug = next(line for line in found["lines"] if line["sku"] == "SKU-BLUE-MUG")
    picker.post("/api/v1/returns/RMA-E2E-1/items", op({"barcode": "05012345678900", "qty": 1, "condition": "restock",
                                                       "location_barcode": mug["restock_barcode"]}))
    picker.post("/api/v1/returns/RMA-E2E-1/items", op({"barcode": "SKU-BLUE-MUG", "qty": 1,
                                                       "condition": "quarantine"}))
    with pytest.raises(EdgeRefused) as over:
        picker.post("/api/v1/returns/RMA-E2E-1/items", op({"barcode": "SKU-BLUE-MUG", "qty": 2,
                                                           "condition": "quarantine"}))
    assert over.value.code == "over_return"
    picker.post("/api/v1/returns/RMA-E2E-1/close", op())

    picker.post("/api/v1/returns", op({"return_id": "RT-E2E-1", "order_id": order_id}))
    picker.post("/api/v1/returns/RT-E2E-1/items", op({"barcode": "SKU-KETTLE", "qty": 1, "condition": "scrap",
                                                      "reason": "Broken"}))
    picker.post("/api/v1/returns/RT-E2E-1/close", op())

    order = wait_until(lambda: _received_twice(network, order_id), 30, "the centre to see both returns")
    assert [(r["return_id"], r["rma_id"]) for r in order["returns"]] == [("RMA-E2E-1", "RMA-E2E-1"),
                                                                         ("RT-E2E-1", "")]
    network.assert_synced_exactly_once()
    after = network.central_stock()
    restocked = (mug["restock_location"], "SKU-BLUE-MUG", "")
    assert after[restocked] == before[restocked] + 1
    assert after[("QUAR", "SKU-BLUE-MUG", "")] == 1 and after.get(("QUAR", "SKU-KETTLE", ""), 0) == 0


def test_a_cancel_reaching_the_site_mid_pick_is_put_back_and_the_stock_views_agree(network):
    before = network.central_stock()
    order_id = network.create_order([{"sku": "SKU-BLUE-MUG", "qty": 2}, {"sku": "SKU-KETTLE", "qty": 1}], "E2E-R2")
    wait_until(lambda: network.central_order(order_id)["status"] == "released", 30, "the site to release the order")
    picker = network.picker()
    task = picker.next_task()
    picker.scan_location(task["task_id"], task["location_barcode"])
    picker.pick(task["task_id"], task["item_barcodes"][0], task["qty"])

    status, body = http_json("POST", f"{network.central.url}/api/v1/orders/{order_id}/cancel",
                             {"reason": "customer called", "operator": "ops-anna"})
    assert status == 200, body
    put_back = wait_until(lambda: next(iter(picker.get("/api/v1/putaway-tasks")["tasks"]), None), 30,
                          "the site to open the put-back")
    assert (put_back["kind"], put_back["from_location"], put_back["suggested_location"]) == (
        "put_back", "PACK", task["location"])
    picker.post(f"/api/v1/putaway-tasks/{put_back['task_id']}/confirm",
                op({"location_barcode": put_back["suggested_barcode"]}))
    wait_until(lambda: network.central_order(order_id)["status"] == "cancelled", 30, "the centre to see the cancel")
    network.assert_synced_exactly_once()
    after = network.central_stock()
    assert after[(task["location"], task["sku"], "")] == before[(task["location"], task["sku"], "")]
    assert after.get(("PACK", task["sku"], ""), 0) == 0


def _return(picker, return_id: str) -> dict | None:
    listed = picker.get("/api/v1/returns")["returns"]
    return picker.get(f"/api/v1/returns/{return_id}") if any(r["return_id"] == return_id for r in listed) else None


def _received_twice(network, order_id: str) -> dict | None:
    order = network.central_order(order_id)
    received = [r for r in order.get("returns", []) if r["status"] == "received"]
    return order if len(received) == 2 else None
