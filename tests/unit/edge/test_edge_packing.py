"""Packing scanned items into several cartons and loading them at a dock door: domain and handlers."""
import pytest

from edge.domain.catalogue import Location, Picker, hash_pin
from edge.domain.errors import (CartonsMissing, NotInOrder, NotInShipment, OrderNotPacked, OrderNotPicked,
                                TooManyToPack)
from edge.domain.events import CartonClosed, OrderStatusChanged
from edge.domain.orders import Carton, Order, OrderLine
from edge.domain.picking import PickTask
from edge.service.commands import (AssignNextTask, CloseCarton, ConfirmPick, ConfirmShipment, ReleaseOrder,
                                   ScanLocation)
from edge.service.messagebus import MessageBus
from fake_edge_uow import FakeCartonLabels, FakeUnitOfWork
from protocols.labels import SsccSeries
from protocols.status import ORDER_PACKED, ORDER_PICKED, ORDER_SHIPPED, TASK_PICKED

SAM = "BADGE-0001"
MUG = {"sku": "SKU-BLUE-MUG", "description": "Blue mug 350 ml", "gtins": ["05012345678900"]}
KETTLE = {"sku": "SKU-KETTLE", "description": "Kettle 1.7 l", "gtins": []}


def picked(sku: str, qty: int, task_id: str, line_no: int) -> PickTask:
    return PickTask(task_id, "SO-1", line_no, sku, "A-01-03", qty, pick_seq=30, status=TASK_PICKED,
                    picker=SAM, picked_qty=qty)


def picked_order() -> tuple[Order, list[PickTask]]:
    order = Order("SO-1", "Tea Rooms Ltd", 5, "2025-03-04", [OrderLine(1, "SKU-BLUE-MUG", 3),
                                                             OrderLine(2, "SKU-KETTLE", 1)], status=ORDER_PICKED)
    return order, [picked("SKU-BLUE-MUG", 3, "T1", 1), picked("SKU-KETTLE", 1, "T2", 2)]


def test_packing_part_leaves_the_order_picked_and_the_last_carton_packs_it():
    order, tasks = picked_order()
    first, events = order.pack("C1", tasks, "now", [], {"SKU-BLUE-MUG": 2})
    assert first.lines == [{"sku": "SKU-BLUE-MUG", "qty": 2}]
    assert events == [CartonClosed("C1", "SO-1", [{"sku": "SKU-BLUE-MUG", "qty": 2}])]
    assert order.status == ORDER_PICKED
    assert order.left_to_pack(tasks, [first]) == {"SKU-BLUE-MUG": 1, "SKU-KETTLE": 1}
    second, events = order.pack("C2", tasks, "now", [first])  # pack all: only what is left
    assert second.lines == [{"sku": "SKU-BLUE-MUG", "qty": 1}, {"sku": "SKU-KETTLE", "qty": 1}]
    assert events[-1] == OrderStatusChanged("SO-1", ORDER_PACKED, "C2")


def test_packing_an_item_not_left_to_pack_or_too_many_changes_nothing():
    order, tasks = picked_order()
    first, _ = order.pack("C1", tasks, "now", [], {"SKU-KETTLE": 1})
    with pytest.raises(NotInOrder) as refused:
        order.pack("C2", tasks, "now", [first], {"SKU-KETTLE": 1})
    assert refused.value.code == "not_in_order" and "SKU-KETTLE" in refused.value.message
    with pytest.raises(TooManyToPack) as refused:
        order.pack("C2", tasks, "now", [first], {"SKU-BLUE-MUG": 4})
    assert "Only 3 of SKU-BLUE-MUG" in refused.value.message
    assert order.status == ORDER_PICKED
    last, _ = order.pack("C2", tasks, "now", [first], {"SKU-BLUE-MUG": 3})
    with pytest.raises(OrderNotPicked):  # packed: no further carton
        order.pack("C3", tasks, "now", [first, last])


def packed_order() -> tuple[Order, list[Carton]]:
    order, tasks = picked_order()
    first, _ = order.pack("DC01-C000001", tasks, "now", [], {"SKU-BLUE-MUG": 3})
    first.sscc = "350123450000000017"
    second, _ = order.pack("DC01-C000002", tasks, "now", [first])
    return order, [first, second]


def test_loading_every_carton_by_id_or_sscc_ships_from_the_dock_door():
    order, cartons = packed_order()
    events = order.ship(cartons, "later", ["350123450000000017", "dc01-c000002"], "DOCK-3")
    assert (order.status, order.dock_door) == (ORDER_SHIPPED, "DOCK-3")
    assert events[-1] == OrderStatusChanged("SO-1", ORDER_SHIPPED, "")


def test_loading_a_foreign_carton_or_missing_one_is_refused_by_name():
    order, cartons = packed_order()
    with pytest.raises(NotInShipment) as refused:
        order.ship(cartons, "later", ["DC01-C000001", "DC01-C000009"], "DOCK-3")
    assert refused.value.code == "not_in_shipment" and "DC01-C000009" in refused.value.message
    with pytest.raises(CartonsMissing) as refused:
        order.ship(cartons, "later", ["DC01-C000001"], "DOCK-3")
    assert refused.value.missing == ["DC01-C000002"]
    assert (order.status, order.dock_door) == (ORDER_PACKED, "")


def test_an_order_with_a_carton_still_open_cannot_ship():
    order, tasks = picked_order()
    first, _ = order.pack("C1", tasks, "now", [], {"SKU-KETTLE": 1})
    with pytest.raises(OrderNotPacked):
        order.ship([first], "later", ["C1"])


# Handlers, through the bus, with the in-memory unit of work.

OPS = [f"{n:08d}-0000-4000-8000-000000000000" for n in range(1, 20)]


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(labels=FakeCartonLabels(SsccSeries("7612345", 3, 1000, 1999)),
        locations=[Location("A-01-01", "LOC-A-01-01", "A", 10), Location("B-01-01", "LOC-B-01-01", "B", 20)],
        pickers=[Picker(SAM, "Sam Picker", hash_pin("1234", iterations=1000))],
        stock={("A-01-01", "SKU-BLUE-MUG"): 10, ("B-01-01", "SKU-KETTLE"): 5})


@pytest.fixture
def bus(uow) -> MessageBus:
    """Release SO-1 (3 mugs, 1 kettle) and pick all of it."""
    bus = MessageBus(lambda: uow)
    bus.handle(ReleaseOrder("SO-1", "Tea Rooms Ltd", 5, "2025-03-04",
                            [{"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": 3, "item": MUG},
                             {"line_no": 2, "sku": "SKU-KETTLE", "qty": 1, "item": KETTLE}]))
    ops = iter(OPS)
    for location, sku, qty in (("LOC-A-01-01", "SKU-BLUE-MUG", 3), ("LOC-B-01-01", "SKU-KETTLE", 1)):
        task_id = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]["task_id"]
        bus.handle(ScanLocation(task_id, location, SAM, "HH-01", next(ops)))
        bus.handle(ConfirmPick(task_id, sku, qty, SAM, "HH-01", next(ops)))
    return bus


def test_scanned_items_matched_by_gtin_fill_a_carton_and_the_rest_packs_the_order(bus, uow):
    first = bus.handle(CloseCarton("SO-1", SAM, "HH-01", OPS[10], (("5012345678900", 2), ("SKU-BLUE-MUG", 1))))
    assert (first.status, first.body["lines"], first.body["order_status"]) == (
        201, [{"sku": "SKU-BLUE-MUG", "qty": 3}], ORDER_PICKED)
    second = bus.handle(CloseCarton("SO-1", SAM, "HH-01", OPS[11], (("sku-kettle", 1),)))
    assert (second.body["lines"], second.body["order_status"]) == ([{"sku": "SKU-KETTLE", "qty": 1}], ORDER_PACKED)


def test_a_barcode_not_in_the_order_closes_no_carton(bus, uow):
    commits = uow.commits
    with pytest.raises(NotInOrder):
        bus.handle(CloseCarton("SO-1", SAM, "HH-01", OPS[10], (("SKU-TEAPOT", 1),)))
    assert uow.cartons.rows == {} and uow.commits == commits and uow.ops.get(OPS[10]) is None


def test_replayed_close_carton_gets_the_first_answer_and_no_second_carton(bus, uow):
    cmd = CloseCarton("SO-1", SAM, "HH-01", OPS[10], (("SKU-KETTLE", 1),))
    first, again = bus.handle(cmd), bus.handle(cmd)
    assert (again.replayed, again.body) == (True, first.body)
    assert len(uow.cartons.rows) == 1


def test_shipment_refuses_a_missing_carton_then_ships_with_all_and_records_the_dock_door(bus, uow):
    bus.handle(CloseCarton("SO-1", SAM, "HH-01", OPS[10], (("SKU-KETTLE", 1),)))
    bus.handle(CloseCarton("SO-1", SAM, "HH-01", OPS[11]))
    with pytest.raises(CartonsMissing) as refused:
        bus.handle(ConfirmShipment("SO-1", SAM, "HH-01", OPS[12], "DOCK-3", ("C1",)))
    assert refused.value.missing == ["C2"] and uow.orders.get("SO-1").status == ORDER_PACKED
    shipped = bus.handle(ConfirmShipment("SO-1", SAM, "HH-01", OPS[13], "DOCK-3", ("C1", "C2")))
    assert shipped.body == {"order_id": "SO-1", "order_status": ORDER_SHIPPED, "dock_door": "DOCK-3"}
    assert uow.orders.get("SO-1").dock_door == "DOCK-3"


def test_cartons_scanned_by_their_sscc_label_in_any_form_load_the_order(bus, uow):
    first = bus.handle(CloseCarton("SO-1", SAM, "HH-01", OPS[10], (("SKU-KETTLE", 1),))).body["sscc"]
    second = bus.handle(CloseCarton("SO-1", SAM, "HH-01", OPS[11])).body["sscc"]
    assert len(first) == len(second) == 18
    shipped = bus.handle(ConfirmShipment("SO-1", SAM, "HH-01", OPS[12], "DOCK-1", (f"]C100{first}", f"(00){second}")))
    assert shipped.body["order_status"] == ORDER_SHIPPED
