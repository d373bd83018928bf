from itertools import count

from edge.domain.events import OrderStatusChanged, TaskShorted
from edge.domain.orders import Order, OrderLine
from edge.domain.picking import UNLOCATED
from edge.domain.release import NO_STOCK_REASON, StockSlot, release_order
from protocols.status import ORDER_RELEASED, ORDER_SHORT, TASK_OPEN, TASK_SHORT

NOW = "2025-03-03T09:00:00+00:00"


def an_order(*lines: tuple[str, int]) -> Order:
    return Order("SO-1", "Tea Rooms Ltd", 5, "2025-03-04",
                 [OrderLine(n, sku, qty) for n, (sku, qty) in enumerate(lines, start=1)])


def ids():
    numbers = count(1)
    return lambda: f"T{next(numbers)}"


def test_release_walks_locations_in_pick_sequence_not_listing_order():
    slots = {"SKU-BLUE-MUG": [StockSlot("C-01-01", 70, 100), StockSlot("A-01-01", 10, 400)]}
    tasks, events = release_order(an_order(("SKU-BLUE-MUG", 5)), slots, ids(), NOW)
    assert [(t.location, t.qty, t.status) for t in tasks] == [("A-01-01", 5, TASK_OPEN)]
    assert events == [OrderStatusChanged("SO-1", ORDER_RELEASED)]


def test_release_splits_a_line_across_locations_when_the_first_runs_out():
    slots = {"SKU-BLUE-MUG": [StockSlot("A-01-01", 10, 4), StockSlot("C-01-01", 70, 100)]}
    tasks, _ = release_order(an_order(("SKU-BLUE-MUG", 10)), slots, ids(), NOW)
    assert [(t.location, t.qty) for t in tasks] == [("A-01-01", 4), ("C-01-01", 6)]


def test_release_leaves_stock_reserved_by_other_tasks_alone():
    slots = {"SKU-BLUE-MUG": [StockSlot("A-01-01", 10, 10, reserved=8), StockSlot("C-01-01", 70, 100)]}
    tasks, _ = release_order(an_order(("SKU-BLUE-MUG", 5)), slots, ids(), NOW)
    assert [(t.location, t.qty) for t in tasks] == [("A-01-01", 2), ("C-01-01", 3)]


def test_release_puts_the_uncoverable_remainder_on_the_first_location_to_be_reported_short():
    slots = {"SKU-KETTLE": [StockSlot("B-01-01", 40, 3), StockSlot("B-02-01", 60, 1)]}
    tasks, _ = release_order(an_order(("SKU-KETTLE", 10)), slots, ids(), NOW)
    assert [(t.location, t.qty) for t in tasks] == [("B-01-01", 9), ("B-02-01", 1)]


def test_two_lines_of_one_sku_do_not_count_the_same_stock_twice():
    slots = {"SKU-BLUE-MUG": [StockSlot("A-01-01", 10, 5), StockSlot("C-01-01", 70, 100)]}
    tasks, _ = release_order(an_order(("SKU-BLUE-MUG", 4), ("SKU-BLUE-MUG", 4)), slots, ids(), NOW)
    assert [(t.line_no, t.location, t.qty) for t in tasks] == [(1, "A-01-01", 4), (2, "A-01-01", 1),
                                                              (2, "C-01-01", 3)]


def test_a_sku_held_nowhere_is_shorted_at_release():
    slots = {"SKU-BLUE-MUG": [StockSlot("A-01-01", 10, 50)]}
    tasks, events = release_order(an_order(("SKU-BLUE-MUG", 1), ("SKU-GHOST", 2)), slots, ids(), NOW)
    ghost = tasks[1]
    assert (ghost.location, ghost.status, ghost.qty) == (UNLOCATED, TASK_SHORT, 2)
    assert TaskShorted("T2", "SO-1", 2, "SKU-GHOST", UNLOCATED, 2, NO_STOCK_REASON, "system") in events


def test_an_order_with_nothing_in_stock_is_short_straight_away():
    order = an_order(("SKU-GHOST", 2))
    _, events = release_order(order, {}, ids(), NOW)
    assert [e.status for e in events if isinstance(e, OrderStatusChanged)] == [ORDER_RELEASED, ORDER_SHORT]
    assert order.status == ORDER_SHORT
