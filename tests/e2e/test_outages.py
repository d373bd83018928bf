"""The site keeps working through outages of the centre, the broker and itself; nothing is lost."""
from .flow import pick_everything, wait_until


def released(network, order_ids):
    return all(network.central_order(oid)["status"] == "released" for oid in order_ids)


def test_picking_goes_on_while_the_centre_is_down_and_arrives_exactly_once(network):
    orders = [network.create_order([{"sku": sku, "qty": 2}], f"OUT-{n}")
              for n, sku in enumerate(["SKU-RED-MUG", "SKU-TEAPOT", "SKU-SPOON-SET"])]
    wait_until(lambda: released(network, orders), 30, "the site to release the orders")
    picker = network.picker()
    task = picker.next_task()
    picker.scan_location(task["task_id"], task["location_barcode"])

    network.central.kill()                     # kill -9 mid-flow
    picker.pick(task["task_id"], task["item_barcodes"][0], task["qty"])
    pick_everything(picker)
    for order_id in orders:
        picker.close_carton(order_id)
        picker.ship(order_id)
    backlog = len(network.edge_events())

    network.central.start()                    # the centre comes back and catches up
    for order_id in orders:
        wait_until(lambda: network.central_order(order_id)["status"] == "shipped", 60, f"{order_id} shipped")
    network.assert_synced_exactly_once()
    assert len(network.central_ledger()) == backlog


def test_a_broker_restart_and_an_edge_kill_lose_nothing(network):
    order_id = network.create_order([{"sku": "SKU-TEA-TOWEL", "qty": 2}, {"sku": "SKU-BLUE-MUG", "qty": 1}], "OUT-B")
    wait_until(lambda: released(network, [order_id]), 30, "the site to release the order")
    picker = network.picker()
    task = picker.next_task()
    picker.scan_location(task["task_id"], task["location_barcode"])

    network.broker.kill()                      # the WAN/broker goes away
    op_id = "5f0c8a52-7d7a-4c33-9a39-0f3e1b1f6e01"
    first = picker.pick(task["task_id"], task["item_barcodes"][0], task["qty"], op_id=op_id)

    network.edge.kill()                        # and the edge server crashes (kill -9)
    network.edge.start()
    replay = picker.pick(task["task_id"], task["item_barcodes"][0], task["qty"], op_id=op_id)
    assert replay == first                     # the handheld's replay is answered, not re-applied

    pick_everything(picker)
    picker.close_carton(order_id)
    picker.ship(order_id)
    network.broker.start()
    wait_until(lambda: network.central_order(order_id)["status"] == "shipped", 60, "the centre to see the shipment")
    network.assert_synced_exactly_once()
