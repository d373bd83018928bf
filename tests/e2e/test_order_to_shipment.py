"""One order from the centre to the site's floor and back, over real Mosquitto, SQLite and HTTP."""
import pytest

from handheld.edge_client import EdgeRefused

from .flow import SITE, pick_everything, wait_until


def test_order_is_picked_packed_shipped_and_the_centre_sees_it_exactly_once(network):
    before = network.central_stock()
    order_id = network.create_order([{"sku": "SKU-BLUE-MUG", "qty": 3}, {"sku": "SKU-KETTLE", "qty": 1}], "E2E-1")
    wait_until(lambda: network.central_order(order_id)["status"] == "released", 30, "the site to release the order")
    assert network.central_order(order_id)["site_id"] == SITE

    picker = network.picker()
    task = picker.next_task()
    assert task["order_id"] == order_id and task["location"] == "A-01-01"  # lowest pick sequence first
    with pytest.raises(EdgeRefused) as wrong:
        picker.scan_location(task["task_id"], "LOC-B-01-01")
    assert wrong.value.status == 409 and "A-01-01" in wrong.value.message
    assert pick_everything(picker) == 2

    carton = picker.close_carton(order_id)
    assert carton["order_status"] == "packed"
    assert picker.ship(order_id)["order_status"] == "shipped"

    wait_until(lambda: network.central_order(order_id)["status"] == "shipped", 30, "the centre to see the shipment")
    after = network.central_stock()
    assert after[("A-01-01", "SKU-BLUE-MUG", "")] == before[("A-01-01", "SKU-BLUE-MUG", "")] - 3
    assert after[("B-01-01", "SKU-KETTLE", "")] == before[("B-01-01", "SKU-KETTLE", "")] - 1
    assert ("PACK", "SKU-BLUE-MUG", "") not in after  # packed stock left the site when shipped
    history = [h["status"] for h in network.central_order(order_id)["history"]]
    assert history[:2] == ["received", "allocated"] and history[-1] == "shipped"
    assert {"released", "picking", "picked", "packed"} <= set(history)
    network.assert_synced_exactly_once()
