"""A short the shorting site fills itself (task.short_recovered) takes back the back-order made for it.

Regression for the conflict between allocation rule 7 (the centre re-allocates a short to another site)
and the site lead's "release to another location" (the site fills the same units itself).
"""
import pytest

from central.adapters.hub_hooks import apply_event
from central.adapters.sqlite_orders import SqliteOrderRepository
from central_support import feed, outbox, site_event, status, stock
from sync.sqlite_store import EventRejected, SqliteInboxStore, write_transaction

MUG = "SKU-BLUE-MUG"


def order(qty):
    return {"customer": "Acme Ltd", "requested_ship_date": "2025-03-10", "lines": [{"sku": MUG, "qty": qty}]}


def picked(order_id, qty, task_id="T-1"):
    return site_event("task.picked", {"task_id": task_id, "order_id": order_id, "line_no": 1, "sku": MUG,
                                      "location": "A-01-01", "qty": qty, "picker": "BADGE-0001"})


def shorted(order_id, qty, task_id="T-1"):
    return site_event("task.shorted", {"task_id": task_id, "order_id": order_id, "line_no": 1, "sku": MUG,
                                       "location": "A-01-01", "qty_short": qty, "reason": "not found",
                                       "picker": "BADGE-0001"})


def recovered(order_id, qty, task_id="T-1", new_task_id="T-2"):
    return site_event("task.short_recovered", {"task_id": task_id, "new_task_id": new_task_id, "order_id": order_id,
                                               "line_no": 1, "sku": MUG, "qty": qty})


def short_at_dc01(seeded, db_path, dc02_mugs=5):
    """Allocate 8 mugs to DC01, which picks 6 and shorts 2; return the order id."""
    feed(db_path, "DC01", stock("A-01-01", MUG, 8))
    if dc02_mugs:
        feed(db_path, "DC02", stock("A-01-01", MUG, dc02_mugs))
    order_id = seeded.post("/api/v1/orders", json=order(8)).json["order_id"]
    feed(db_path, "DC01", status(order_id, "released"), picked(order_id, 6), shorted(order_id, 2),
         stock("A-01-01", MUG, -2, "adjust"))
    return order_id


def cancels_sent(db_path, site):
    return [row["data"]["order_id"] for row in outbox(db_path, site) if row["type"] == "order.cancelled"]


def order_commands(db_path, site):
    return [row["type"] for row in outbox(db_path, site) if row["type"].startswith("order.")]


def notes(seeded, order_id):
    return [change["note"] for change in seeded.get(f"/api/v1/orders/{order_id}").json["history"]]


def test_an_allocated_back_order_is_cancelled_at_its_site_exactly_once(seeded, db_path):
    order_id = short_at_dc01(seeded, db_path)
    part_id = f"{order_id}-1"
    assert seeded.get(f"/api/v1/orders/{part_id}").json["backorder_of"] == order_id
    inbox = SqliteInboxStore(db_path)
    hwm = inbox.hwm("DC01", 1)
    batch = [recovered(order_id, 2) | {"seq": hwm + 1}]

    inbox.apply_batch("DC01", 1, batch, apply_event)
    inbox.apply_batch("DC01", 1, batch, apply_event)  # a resend changes nothing

    assert cancels_sent(db_path, "DC02") == [part_id]
    assert seeded.get(f"/api/v1/orders/{part_id}").json["status"] == "cancel_requested"
    line = seeded.get(f"/api/v1/orders/{order_id}").json["lines"][0]
    assert (line["picked_qty"], line["short_qty"]) == (6, 0)
    assert notes(seeded, order_id)[-1] == f"2 x {MUG} short recovered at DC01: cancel sent for back-order {part_id} at DC02"
    # the new task at DC01 picks the two: the line adds up to what was ordered
    feed(db_path, "DC01", picked(order_id, 2, task_id="T-2"))
    line = seeded.get(f"/api/v1/orders/{order_id}").json["lines"][0]
    assert (line["qty"], line["picked_qty"], line["short_qty"]) == (8, 8, 0)


def test_a_back_order_recovered_in_two_releases_is_kept_then_cancelled(seeded, db_path):
    order_id = short_at_dc01(seeded, db_path)
    part_id = f"{order_id}-1"
    feed(db_path, "DC01", recovered(order_id, 1))
    # a site cannot be told to pick less: the part stays whole and the possible overage is said
    assert cancels_sent(db_path, "DC02") == []
    assert seeded.get(f"/api/v1/orders/{part_id}").json["status"] == "allocated"
    assert notes(seeded, order_id)[-1] == (f"short recovered at DC01 for only part of back-order {part_id} at DC02, "
                                           "which still picks in full: 1 unit over unless you change that order")
    feed(db_path, "DC01", recovered(order_id, 1, new_task_id="T-3"))
    assert cancels_sent(db_path, "DC02") == [part_id]
    assert seeded.get(f"/api/v1/orders/{order_id}").json["lines"][0]["short_qty"] == 0


def test_a_back_order_already_picked_is_not_undone_and_the_overage_is_noted(seeded, db_path):
    order_id = short_at_dc01(seeded, db_path)
    part_id = f"{order_id}-1"
    feed(db_path, "DC02", status(part_id, "released"), picked(part_id, 2, task_id="T-77"), status(part_id, "picked"))

    feed(db_path, "DC01", recovered(order_id, 2))

    assert cancels_sent(db_path, "DC02") == []
    part = seeded.get(f"/api/v1/orders/{part_id}").json
    assert (part["status"], part["lines"][0]["picked_qty"]) == ("picked", 2)
    assert notes(seeded, order_id)[-1] == (
        f"short recovered at DC01 after the back-order {part_id} at DC02 was picked: 2 units over")
    assert seeded.get(f"/api/v1/orders/{order_id}").json["lines"][0]["short_qty"] == 0


def test_a_short_closed_line_is_reopened_so_its_site_owes_the_units_again(seeded, db_path):
    order_id = short_at_dc01(seeded, db_path, dc02_mugs=0)
    assert seeded.get(f"/api/v1/orders/{order_id}").json["parts"] == []
    assert seeded.get("/api/v1/inventory?site=DC01&sku=SKU-BLUE-MUG").json["by_site"][0]["allocated"] == 0

    feed(db_path, "DC01", recovered(order_id, 2))

    line = seeded.get(f"/api/v1/orders/{order_id}").json["lines"][0]
    assert (line["picked_qty"], line["short_qty"]) == (6, 0)
    # the reopened units count against DC01's stock again while its new task is picked
    assert seeded.get("/api/v1/inventory?site=DC01&sku=SKU-BLUE-MUG").json["by_site"][0]["allocated"] == 2
    assert notes(seeded, order_id)[-1] == f"2 x {MUG} short recovered at DC01: line 1 is picked again"
    assert order_commands(db_path, "DC02") == []


def test_a_waiting_back_order_is_reduced_then_cancelled(seeded, db_path):
    order_id = short_at_dc01(seeded, db_path, dc02_mugs=0)
    part_id = f"{order_id}-1"
    with write_transaction(db_path) as db:  # a back-order still waiting for stock anywhere
        repo = SqliteOrderRepository(db)
        part = repo.get(order_id).part(part_id, [(MUG, 2)], "2025-03-03T10:00:01.000+00:00")
        part.backorder_of, part.backorder_task = order_id, "T-1"
        repo.add(part)

    feed(db_path, "DC01", recovered(order_id, 1))
    waiting = seeded.get(f"/api/v1/orders/{part_id}").json
    assert (waiting["status"], waiting["lines"][0]["qty"]) == ("received", 1)
    assert notes(seeded, order_id)[-1] == f"1 x {MUG} short recovered at DC01: back-order {part_id} reduced by 1"

    feed(db_path, "DC01", recovered(order_id, 1, new_task_id="T-3"))
    assert seeded.get(f"/api/v1/orders/{part_id}").json["status"] == "cancelled"
    assert notes(seeded, order_id)[-1] == f"1 x {MUG} short recovered at DC01: back-order {part_id} cancelled"
    assert order_commands(db_path, "DC02") == [] and seeded.get(f"/api/v1/orders/{order_id}").json["lines"][0]["short_qty"] == 0


@pytest.mark.parametrize("site, change", [("DC02", {}), ("DC01", {"line_no": 2}), ("DC01", {"sku": "SKU-KETTLE"})])
def test_a_recovery_for_another_sites_order_or_line_is_set_aside(seeded, db_path, site, change):
    order_id = short_at_dc01(seeded, db_path)
    event = recovered(order_id, 2)
    event["data"] |= change
    with pytest.raises(EventRejected):
        feed(db_path, site, event)
    assert seeded.get(f"/api/v1/orders/{order_id}").json["lines"][0]["short_qty"] == 2
    assert cancels_sent(db_path, "DC02") == []
