"""A wave picked as one batch into totes reaches the centre exactly once, over real Mosquitto, SQLite and HTTP
processes; the centre's order history shows the wave, batch and tote, and its stock of the site equals the edge's
(issue 9)."""
import uuid

from edge.bootstrap import add_staff_user

from .flow import SITE, wait_until
from .test_counts_and_replenishment import PASSWORD, LeadBrowser


def test_a_batch_of_two_orders_is_picked_into_totes_and_synced_exactly_once(network):
    add_staff_user(str(network.workdir / f"edge-{SITE}.db"), SITE, "maria", "lead", PASSWORD)
    first = network.create_order([{"sku": "SKU-BLUE-MUG", "qty": 2}, {"sku": "SKU-KETTLE", "qty": 1}], "E2E-B1")
    second = network.create_order([{"sku": "SKU-BLUE-MUG", "qty": 1}, {"sku": "SKU-TEAPOT", "qty": 3}], "E2E-B2")
    for order_id in (first, second):
        wait_until(lambda: network.central_order(order_id)["status"] == "released", 30, "the site to release it")
    lead = LeadBrowser(network.edge.url, "maria")
    status, wave = lead.call("POST", "/api/v1/waves", {"cart_slots": 4, "order_ids": [first, second],
                                                        "reason": "14:00 carrier"})
    assert status == 201, wave

    picker = network.picker()
    batch = picker.get("/api/v1/batches/next")["batch"]
    totes = {first: "TOTE-0001", second: "TOTE-0002"}
    path = f"/api/v1/batches/{batch['batch_id']}"
    for stop in batch["stops"]:
        picker.post(f"/api/v1/tasks/{stop['task_id']}/location-scan", {
            "op_id": str(uuid.uuid4()), "barcode": stop["location_barcode"], "lease_epoch": stop["lease_epoch"]})
        body = {"op_id": str(uuid.uuid4()), "task_id": stop["task_id"], "barcode": stop["item_barcodes"][-1],
                "qty": stop["qty"], "tote": totes[stop["order_id"]], "lease_epoch": stop["lease_epoch"]}
        assert picker.post(f"{path}/picks", body)["tote"] == totes[stop["order_id"]]
        assert picker.post(f"{path}/picks", body)["tote"] == totes[stop["order_id"]]  # a replay books nothing more
    closed = picker.post(f"{path}/close", {"op_id": str(uuid.uuid4())})
    assert {t["order_id"]: t["tote"] for t in closed["totes"]} == totes

    def noted(order_id: str) -> bool:
        return any("into tote" in change["note"] for change in network.central_order(order_id)["history"])

    for order_id in (first, second):
        wait_until(lambda: noted(order_id), 30, "the centre to note the batch in the order's history")
        order = network.central_order(order_id)
        assert order["status"] == "picked"
        notes = [change["note"] for change in order["history"]]
        assert any(n.startswith(f"in batch {batch['batch_id']} of wave {wave['wave_id']}") for n in notes)
        assert f"into tote {totes[order_id]} by BADGE-0001; tote to packing" in notes[-1]
    network.assert_synced_exactly_once()
    centre = network.central_stock()
    assert centre[("A-01-01", "SKU-BLUE-MUG", "")] == 397 and centre[("PACK", "SKU-TEAPOT", "")] == 3
