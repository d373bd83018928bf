"""The allocation rule (central/domain/allocation.py), pure: no I/O."""
from central.domain.allocation import Availability, allocate_orders
from central.domain.orders import WAITING_NOTE, Order
from protocols.status import ORDER_ALLOCATED, ORDER_RECEIVED

NOW = "2025-03-03T09:00:00+00:00"


def an_order(order_id, lines, priority=5, ship="2025-03-10"):
    return Order.place(order_id, "Acme Ltd", priority, ship, lines, NOW)


def test_a_site_with_enough_of_every_sku_fills_the_order():
    availability = Availability.from_stock(["DC01"], {"DC01": {"SKU-BLUE-MUG": 10, "SKU-KETTLE": 2}}, {})
    assert availability.choose_site({"SKU-BLUE-MUG": 10, "SKU-KETTLE": 2}) == "DC01"


def test_a_site_short_on_one_sku_cannot_fill_the_order():
    availability = Availability.from_stock(["DC01"], {"DC01": {"SKU-BLUE-MUG": 10, "SKU-KETTLE": 1}}, {})
    assert availability.choose_site({"SKU-BLUE-MUG": 1, "SKU-KETTLE": 2}) is None


def test_the_site_with_most_available_for_the_orders_skus_wins():
    on_hand = {"DC01": {"SKU-BLUE-MUG": 5, "SKU-TEAPOT": 500}, "DC02": {"SKU-BLUE-MUG": 40}}
    availability = Availability.from_stock(["DC01", "DC02"], on_hand, {})
    # DC01 holds more overall, but only SKU-BLUE-MUG counts for this order
    assert availability.choose_site({"SKU-BLUE-MUG": 5}) == "DC02"


def test_a_tie_goes_to_the_lowest_site_id():
    on_hand = {"DC02": {"SKU-BLUE-MUG": 8}, "DC01": {"SKU-BLUE-MUG": 8}}
    availability = Availability.from_stock(["DC02", "DC01"], on_hand, {})
    assert availability.choose_site({"SKU-BLUE-MUG": 3}) == "DC01"


def test_what_other_open_orders_still_owe_is_not_available():
    on_hand = {"DC01": {"SKU-BLUE-MUG": 10}, "DC02": {"SKU-BLUE-MUG": 6}}
    outstanding = {"DC01": {"SKU-BLUE-MUG": 7}}
    availability = Availability.from_stock(["DC01", "DC02"], on_hand, outstanding)
    assert availability.available("DC01", "SKU-BLUE-MUG") == 3
    assert availability.choose_site({"SKU-BLUE-MUG": 5}) == "DC02"


def test_stock_of_unregistered_sites_is_not_a_candidate():
    availability = Availability.from_stock(["DC01"], {"DC99": {"SKU-BLUE-MUG": 100}}, {})
    assert availability.choose_site({"SKU-BLUE-MUG": 1}) is None


def test_nothing_fits_leaves_the_order_received_and_waiting():
    order = an_order("SO-000001", [("SKU-BLUE-MUG", 3)])
    allocated = allocate_orders([order], Availability.from_stock(["DC01"], {"DC01": {"SKU-BLUE-MUG": 2}}, {}), NOW)
    assert allocated == []
    assert (order.status, order.site_id, order.note) == (ORDER_RECEIVED, None, WAITING_NOTE)
    assert order.events == []


def test_allocation_sets_site_status_history_and_event():
    order = an_order("SO-000001", [("SKU-BLUE-MUG", 3)])
    allocate_orders([order], Availability.from_stock(["DC01"], {"DC01": {"SKU-BLUE-MUG": 3}}, {}), NOW)
    assert (order.status, order.site_id, order.note) == (ORDER_ALLOCATED, "DC01", "")
    assert [(c.status, c.source) for c in order.new_history] == [("received", "central"), ("allocated", "central")]
    assert [(e.order_id, e.site_id) for e in order.events] == [("SO-000001", "DC01")]


def test_urgent_orders_get_stock_first_and_each_allocation_reserves_it():
    relaxed = an_order("SO-000001", [("SKU-BLUE-MUG", 4)], priority=9)
    urgent = an_order("SO-000002", [("SKU-BLUE-MUG", 4)], priority=1)
    availability = Availability.from_stock(["DC01"], {"DC01": {"SKU-BLUE-MUG": 6}}, {})
    allocated = allocate_orders([relaxed, urgent], availability, NOW)
    assert [o.order_id for o in allocated] == ["SO-000002"]
    assert relaxed.status == ORDER_RECEIVED
    assert availability.available("DC01", "SKU-BLUE-MUG") == 2


def test_an_earlier_ship_date_goes_first_at_equal_priority():
    late = an_order("SO-000001", [("SKU-KETTLE", 1)], ship="2025-04-01")
    early = an_order("SO-000002", [("SKU-KETTLE", 1)], ship="2025-03-05")
    availability = Availability.from_stock(["DC01"], {"DC01": {"SKU-KETTLE": 1}}, {})
    assert [o.order_id for o in allocate_orders([late, early], availability, NOW)] == ["SO-000002"]


def test_a_split_plan_takes_the_site_covering_most_first_and_only_covers_what_is_asked():
    on_hand = {"DC01": {"SKU-BLUE-MUG": 2, "SKU-KETTLE": 1}, "DC02": {"SKU-BLUE-MUG": 5}, "DC03": {"SKU-KETTLE": 9}}
    availability = Availability.from_stock(["DC01", "DC02", "DC03"], on_hand, {})
    assert availability.plan_split({"SKU-BLUE-MUG": 6, "SKU-KETTLE": 1}) == [
        ("DC02", {"SKU-BLUE-MUG": 5}), ("DC01", {"SKU-BLUE-MUG": 1, "SKU-KETTLE": 1})]
    assert availability.plan_split({"SKU-BLUE-MUG": 8}) is None  # all sites together have 7


def test_an_order_without_allow_split_waits_rather_than_splitting():
    availability = Availability.from_stock(["DC01", "DC02"], {"DC01": {"SKU-BLUE-MUG": 2},
                                                              "DC02": {"SKU-BLUE-MUG": 2}}, {})
    whole = an_order("SO-000001", [("SKU-BLUE-MUG", 3)])
    assert allocate_orders([whole], availability, NOW) == [] and whole.status == ORDER_RECEIVED
    splittable = an_order("SO-000002", [("SKU-BLUE-MUG", 3)])
    splittable.allow_split = True
    parts = allocate_orders([splittable], availability, NOW)
    assert [(p.order_id, p.site_id, p.demand()) for p in parts] == [
        ("SO-000002-1", "DC01", {"SKU-BLUE-MUG": 2}), ("SO-000002-2", "DC02", {"SKU-BLUE-MUG": 1})]
    assert splittable.status == "split" and splittable.new_parts == parts
