"""The simulated picker finishes an order it left packed when the edge went down before the shipment."""
from handheld.picker_sim import PickerSim


def test_an_order_left_packed_is_shipped_on_the_next_step(live_edge):
    live_edge.allocate("SO-PACKED-1", [("SKU-BLUE-MUG", 2)])
    sim = PickerSim(live_edge.url, "BADGE-0001", "1234", "HH-SIM-01")
    sim.client.sign_in("BADGE-0001", "1234")
    task = sim.client.next_task()
    sim.pick(task)
    sim.client.close_carton("SO-PACKED-1")  # ...and the edge goes down before the shipment is confirmed
    assert sim.client.order("SO-PACKED-1")["status"] == "packed"

    assert sim.step() is True
    assert sim.client.order("SO-PACKED-1")["status"] == "shipped"
    assert sim.stats["shipments"] == 1 and sim.stats["cartons"] == 0
