"""Order validation and the order / master-data handlers, driven through FakeUnitOfWork."""
import pytest

from central.domain.errors import DuplicateOrder, DuplicateSite, InvalidOrder, UnknownItem
from central.domain.master_data import Item
from central.domain.orders import MAX_LINES, WAITING_NOTE, Order
from central.service import handlers
from central.service.commands import (AllocateWaitingOrders, CreateOrder, OrderLineRequest, RecordSiteState,
                                      RegisterSite, SeedMasterData, UpsertItem)
from central.service.messagebus import MessageBus
from central_fakes import NOW, FakeUnitOfWork, a_site, an_item
from protocols.messages.central_commands import load_central_command_data


def place(lines, priority=5, ship="2025-03-10", customer="Acme Ltd"):
    return Order.place("SO-000001", customer, priority, ship, lines, NOW)


def an_order_cmd(*lines, external_ref=None, priority=5):
    return CreateOrder("Acme Ltd", "2025-03-10", [OrderLineRequest(sku, qty) for sku, qty in lines],
                       priority=priority, external_ref=external_ref)


def stocked_uow(stock):
    uow = FakeUnitOfWork(sites=[a_site(s) for s in sorted({s for s, _, _ in stock})] or [a_site("DC01")],
                         items=[an_item("SKU-BLUE-MUG"), an_item("SKU-KETTLE")])
    for site, sku, qty in stock:
        uow.stock.add_delta(site, "A-01-03", sku, "", qty)
    return uow


# --- order validation (domain) ---

def test_a_valid_order_is_received_with_numbered_lines():
    order = place([("SKU-BLUE-MUG", 2), ("SKU-KETTLE", 1)])
    assert order.status == "received"
    assert [(l.line_no, l.sku, l.qty) for l in order.lines] == [(1, "SKU-BLUE-MUG", 2), (2, "SKU-KETTLE", 1)]


@pytest.mark.parametrize("kwargs, field", [
    ({"priority": 0}, "priority"),
    ({"priority": 10}, "priority"),
    ({"ship": "2025-02-30"}, "requested_ship_date"),
    ({"ship": "10/03/2025"}, "requested_ship_date"),
    ({"customer": " "}, "customer"),
])
def test_bad_order_fields_are_named(kwargs, field):
    with pytest.raises(InvalidOrder) as err:
        place([("SKU-BLUE-MUG", 1)], **kwargs)
    assert list(err.value.errors) == [field]


@pytest.mark.parametrize("count", [0, MAX_LINES + 1])
def test_an_order_needs_1_to_500_lines(count):
    with pytest.raises(InvalidOrder) as err:
        place([(f"SKU-{n}", 1) for n in range(count)])
    assert "lines" in err.value.errors


def test_a_zero_quantity_line_is_refused():
    with pytest.raises(InvalidOrder) as err:
        place([("SKU-BLUE-MUG", 1), ("SKU-KETTLE", 0)])
    assert err.value.errors == {"lines": {1: {"qty": ["Order at least 1."]}}}


def test_the_same_sku_twice_is_refused_not_merged():
    with pytest.raises(InvalidOrder) as err:
        place([("SKU-BLUE-MUG", 1), ("SKU-KETTLE", 1), ("SKU-BLUE-MUG", 2)])
    assert err.value.code == "duplicate_sku"
    assert list(err.value.errors["lines"]) == [2]


# --- create_order / allocate_waiting_orders ---

def test_create_order_allocates_at_once_and_queues_order_allocated():
    uow = stocked_uow([("DC01", "SKU-BLUE-MUG", 10)])
    order_id = handlers.create_order(an_order_cmd(("SKU-BLUE-MUG", 4)), uow)
    assert uow.committed
    assert uow.orders.rows[order_id].status == "allocated"
    assert uow.orders.rows[order_id].site_id == "DC01"
    [(site, command_type, data)] = uow.commands.sent
    assert (site, command_type) == ("DC01", "order.allocated")
    assert load_central_command_data(command_type, data)["lines"] == [
        {"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": 4,
         "item": {"sku": "SKU-BLUE-MUG", "description": "SKU-BLUE-MUG description", "gtins": ["05012345678900"],
                      "tracking": "none"}}]
    assert "tracking" not in data["lines"][0]["item"]  # untracked items are sent as before the field existed
    assert [c.status for c in uow.orders.history[order_id]] == ["received", "allocated"]


def test_an_order_no_site_can_fill_stays_received_and_waits():
    uow = stocked_uow([("DC01", "SKU-BLUE-MUG", 1)])
    order_id = handlers.create_order(an_order_cmd(("SKU-BLUE-MUG", 4)), uow)
    order = uow.orders.rows[order_id]
    assert (order.status, order.site_id, order.note) == ("received", None, WAITING_NOTE)
    assert uow.commands.sent == []


def test_waiting_orders_are_allocated_once_stock_arrives():
    uow = stocked_uow([("DC01", "SKU-BLUE-MUG", 1)])
    order_id = handlers.create_order(an_order_cmd(("SKU-BLUE-MUG", 4)), uow)
    uow.stock.add_delta("DC01", "A-01-04", "SKU-BLUE-MUG", "", 3)
    assert handlers.allocate_waiting_orders(AllocateWaitingOrders(), uow) == [order_id]
    assert uow.orders.rows[order_id].status == "allocated"
    assert [c[1] for c in uow.commands.sent] == ["order.allocated"]


def test_a_second_order_cannot_take_stock_the_first_still_owes():
    uow = stocked_uow([("DC01", "SKU-BLUE-MUG", 6)])
    first = handlers.create_order(an_order_cmd(("SKU-BLUE-MUG", 4)), uow)
    second = handlers.create_order(an_order_cmd(("SKU-BLUE-MUG", 4)), uow)
    assert uow.orders.rows[first].status == "allocated"
    assert uow.orders.rows[second].status == "received"


def test_unknown_skus_are_named_and_nothing_is_committed():
    uow = stocked_uow([("DC01", "SKU-BLUE-MUG", 6)])
    with pytest.raises(UnknownItem) as err:
        handlers.create_order(an_order_cmd(("SKU-BLUE-MUG", 1), ("SKU-GHOST", 1)), uow)
    assert err.value.skus == ["SKU-GHOST"]
    assert not uow.committed and uow.orders.rows == {}


def test_a_repeated_external_ref_is_a_duplicate_order():
    uow = stocked_uow([("DC01", "SKU-BLUE-MUG", 6)])
    first = handlers.create_order(an_order_cmd(("SKU-BLUE-MUG", 1), external_ref="PO-7"), uow)
    uow.committed = False
    with pytest.raises(DuplicateOrder) as err:
        handlers.create_order(an_order_cmd(("SKU-BLUE-MUG", 1), external_ref="PO-7"), uow)
    assert err.value.order_id == first
    assert not uow.committed and len(uow.orders.rows) == 1


# --- master data ---

def test_an_item_change_goes_to_every_site_and_an_unchanged_one_to_none():
    uow = FakeUnitOfWork(sites=[a_site("DC01"), a_site("DC02")])
    assert handlers.upsert_item(UpsertItem("SKU-TEAPOT", "Teapot 1 l"), uow) is True
    assert [(s, t) for s, t, _ in uow.commands.sent] == [("DC01", "item.upserted"), ("DC02", "item.upserted")]
    assert handlers.upsert_item(UpsertItem("SKU-TEAPOT", "Teapot 1 l"), uow) is False
    assert len(uow.commands.sent) == 2


def test_a_new_site_is_sent_every_known_item():
    uow = FakeUnitOfWork(items=[an_item("SKU-BLUE-MUG"), an_item("SKU-KETTLE")])
    handlers.register_site(RegisterSite("DC03", "Derby"), uow)
    assert [(s, d["sku"]) for s, _, d in uow.commands.sent] == [("DC03", "SKU-BLUE-MUG"), ("DC03", "SKU-KETTLE")]
    with pytest.raises(DuplicateSite):
        handlers.register_site(RegisterSite("DC03", "Derby"), uow)


def test_seeding_twice_changes_nothing_the_second_time():
    uow = FakeUnitOfWork()
    cmd = SeedMasterData([RegisterSite("DC01", "Leeds")], [UpsertItem("SKU-KETTLE", "Kettle", ("05012345678931",))])
    assert handlers.seed_master_data(cmd, uow) == {"sites_changed": 1, "items_changed": 1}
    assert handlers.seed_master_data(cmd, uow) == {"sites_changed": 0, "items_changed": 0}
    assert uow.items.rows["SKU-KETTLE"] == Item("SKU-KETTLE", "Kettle", ("05012345678931",))
    assert len(uow.commands.sent) == 1


def test_presence_of_an_unregistered_site_is_ignored():
    uow = FakeUnitOfWork(sites=[a_site("DC01")])
    assert handlers.record_site_state(RecordSiteState("DC01", True, {"v": 1, "online": True}), uow)
    assert not handlers.record_site_state(RecordSiteState("DC77", True, {"v": 1, "online": True}), uow)
    assert uow.sites.states == {"DC01": (True, {"v": 1, "online": True}, NOW)}


def test_the_bus_wakes_the_sync_only_after_commands_were_queued():
    uow = stocked_uow([("DC01", "SKU-BLUE-MUG", 6)])
    nudges = []
    bus = MessageBus(lambda: uow, on_commands_sent=lambda: nudges.append(1))
    bus.handle(an_order_cmd(("SKU-BLUE-MUG", 100)))
    assert nudges == []
    bus.handle(an_order_cmd(("SKU-BLUE-MUG", 1)))
    assert nudges == [1]
