from itertools import product

import pytest

from edge.domain.catalogue import Item, Location, hash_pin, verify_pin
from edge.domain.errors import (NothingToPack, NotEnoughStock, NotYourTask, OrderNotPacked, OrderNotPicked,
                                ScanLocationFirst, TaskClosed, TooMany, WrongItem, WrongLocation)
from edge.domain.events import CartonClosed, StockChanged, TaskPicked, TaskShorted
from edge.domain.orders import Order, OrderLine
from edge.domain.picking import PickTask
from protocols.status import (ORDER_PACKED, ORDER_PICKED, ORDER_PICKING, ORDER_RELEASED, ORDER_SHIPPED, ORDER_SHORT,
                              ORDER_STATUSES, TASK_ASSIGNED, TASK_AT_LOCATION, TASK_PICKED, TASK_SHORT, TASK_STATUSES)

A_01_03 = Location("A-01-03", "LOC-A-01-03", "A", 30)
MUG = Item("SKU-BLUE-MUG", "Blue mug", ["05012345678900"])


def a_task(qty=3, status=TASK_ASSIGNED, picker="BADGE-0001", task_id="T1", line_no=1) -> PickTask:
    return PickTask(task_id, "SO-1", line_no, "SKU-BLUE-MUG", "A-01-03", qty, pick_seq=30, status=status,
                    picker=picker)


def at_location(qty=3) -> PickTask:
    task = a_task(qty)
    task.scan_location("BADGE-0001", "LOC-A-01-03", A_01_03)
    return task


def test_right_location_moves_the_task_to_at_location():
    task = at_location()
    assert (task.status, task.next_step) == (TASK_AT_LOCATION, "scan_item")


def test_wrong_location_is_refused_with_directions():
    task = a_task()
    with pytest.raises(WrongLocation) as refused:
        task.scan_location("BADGE-0001", "LOC-B-01-01", A_01_03)
    assert refused.value.message == "Wrong location: you scanned LOC-B-01-01. Go to A-01-03 and scan its label."
    assert task.status == TASK_ASSIGNED


def test_another_pickers_task_is_not_yours():
    with pytest.raises(NotYourTask):
        a_task(picker="BADGE-0002").scan_location("BADGE-0001", "LOC-A-01-03", A_01_03)


def test_item_scan_before_location_scan_is_refused():
    with pytest.raises(ScanLocationFirst):
        a_task().pick("BADGE-0001", "SKU-BLUE-MUG", MUG, 1, on_hand=10)


def test_wrong_item_is_refused_and_nothing_is_picked():
    task = at_location()
    with pytest.raises(WrongItem):
        task.pick("BADGE-0001", "5012345678917", MUG, 1, on_hand=10)
    assert task.picked_qty == 0


def test_over_pick_is_refused_with_what_is_left():
    task = at_location(qty=3)
    task.pick("BADGE-0001", "5012345678900", MUG, 2, on_hand=10)
    with pytest.raises(TooMany, match="only 1 left"):
        task.pick("BADGE-0001", "5012345678900", MUG, 2, on_hand=8)
    assert task.picked_qty == 2


def test_picking_more_than_the_location_holds_asks_for_a_short_pick():
    with pytest.raises(NotEnoughStock, match="report a short pick"):
        at_location(qty=3).pick("BADGE-0001", "SKU-BLUE-MUG", MUG, 3, on_hand=2)


def test_pick_moves_stock_to_pack_and_finishes_the_task_at_full_quantity():
    task = at_location(qty=3)
    events = task.pick("BADGE-0001", "05012345678900", MUG, 3, on_hand=10)
    assert events == [StockChanged("A-01-03", "SKU-BLUE-MUG", -3, "pick", "T1"),
                      StockChanged("PACK", "SKU-BLUE-MUG", 3, "pick", "T1"),
                      TaskPicked("T1", "SO-1", 1, "SKU-BLUE-MUG", "A-01-03", 3, "BADGE-0001")]
    assert (task.status, task.next_step) == (TASK_PICKED, "done")
    with pytest.raises(TaskClosed):
        task.pick("BADGE-0001", "SKU-BLUE-MUG", MUG, 1, on_hand=7)


def test_short_pick_takes_what_was_found_and_closes_short_by_the_rest():
    task = at_location(qty=5)
    events = task.report_short("BADGE-0001", 2, "damaged", on_hand=2)
    assert events[-1] == TaskShorted("T1", "SO-1", 1, "SKU-BLUE-MUG", "A-01-03", 3, "damaged", "BADGE-0001")
    assert (task.status, task.picked_qty) == (TASK_SHORT, 2)


def an_order() -> Order:
    return Order("SO-1", "Tea Rooms Ltd", 5, "2025-03-04", [OrderLine(1, "SKU-BLUE-MUG", 3),
                                                            OrderLine(2, "SKU-BLUE-MUG", 1)], ORDER_RELEASED)


def test_order_moves_released_picking_picked_packed_shipped():
    order, first, second = an_order(), at_location(3), a_task(1, task_id="T2", line_no=2)
    assert order.track_progress([first, second]) == []
    first.pick("BADGE-0001", "SKU-BLUE-MUG", MUG, 3, on_hand=9)
    order.track_progress([first, second])
    assert order.status == ORDER_PICKING
    second.scan_location("BADGE-0001", "A-01-03", A_01_03)
    second.pick("BADGE-0001", "SKU-BLUE-MUG", MUG, 1, on_hand=6)
    order.track_progress([first, second])
    assert order.status == ORDER_PICKED
    carton, events = order.pack("DC01-C000001", [first, second], "now")
    assert carton.lines == [{"sku": "SKU-BLUE-MUG", "qty": 4}]
    assert events[0] == CartonClosed("DC01-C000001", "SO-1", [{"sku": "SKU-BLUE-MUG", "qty": 4}])
    assert order.status == ORDER_PACKED
    events = order.ship([carton], "later")
    assert events[0] == StockChanged("PACK", "SKU-BLUE-MUG", -4, "ship", "SO-1")
    assert order.status == ORDER_SHIPPED


def test_order_with_a_short_task_ends_short():
    order, first, second = an_order(), at_location(3), a_task(1, task_id="T2", line_no=2)
    first.pick("BADGE-0001", "SKU-BLUE-MUG", MUG, 3, on_hand=9)
    second.report_short("BADGE-0001", 0, "not found", on_hand=0)
    order.track_progress([first, second])
    assert order.status == ORDER_SHORT


def test_order_cannot_be_packed_before_picking_ends_nor_shipped_before_packing():
    order = an_order()
    with pytest.raises(OrderNotPicked):
        order.pack("C1", [a_task()], "now")
    with pytest.raises(OrderNotPacked):
        order.ship([], "now")


def test_short_order_with_nothing_picked_has_nothing_to_pack():
    order, task = an_order(), a_task()
    task.report_short("BADGE-0001", 0, "not found", on_hand=0)
    order.track_progress([task])
    with pytest.raises(NothingToPack):
        order.pack("C1", [task], "now")


def test_pin_hash_verifies_only_the_right_pin():
    stored = hash_pin("1234", iterations=1000)
    assert verify_pin("1234", stored) and not verify_pin("1235", stored)
    assert not verify_pin("1234", "garbage")


def test_an_order_that_may_not_move_on_keeps_its_status_whatever_its_other_tasks_are():
    """The pick skips reading the order's tasks when may_move_on says no: track_progress must then change nothing."""
    skipped = 0
    for order_status, changed_status, other_status, picked in product(ORDER_STATUSES, TASK_STATUSES,
                                                                      TASK_STATUSES, (0, 1)):
        order = Order("SO-1", "ACME", 1, "2026-11-26", [OrderLine(1, "SKU-BLUE-MUG", 3)], status=order_status)
        changed = a_task(status=changed_status)
        changed.picked_qty = picked
        other = a_task(status=other_status, task_id="T2", line_no=2)
        if not order.may_move_on(changed):
            skipped += 1
            assert order.track_progress([changed, other]) == [], (order_status, changed_status, other_status)
            assert order.status == order_status
    assert skipped > 0
    picking = Order("SO-1", "ACME", 1, "2026-11-26", status=ORDER_PICKING)
    assert not picking.may_move_on(a_task(status=TASK_AT_LOCATION))
    assert picking.may_move_on(a_task(status=TASK_PICKED))
    assert Order("SO-1", "ACME", 1, "2026-11-26", status=ORDER_RELEASED).may_move_on(a_task(status=TASK_AT_LOCATION))
