"""Customer returns and put-backs: the domain rules, and the handlers through the bus with in-memory fakes."""
import pytest

from edge.domain.catalogue import Item, Location
from edge.domain.errors import TrackingRequired, UnknownOrder
from edge.domain.events import StockChanged
from edge.domain.orders import Carton, Order, OrderLine
from edge.domain.picking import PickTask
from edge.domain.put_backs import put_backs_for
from edge.domain.putaway import PUT_BACK, Quant, Slot
from edge.domain.returns import (CustomerReturn, NotShippedOnOrder, OrderNotShipped, OverReturn, ReturnClosed,
                                 ReturnDiscrepancy, ReturnedLine, ReturnRecorded, ScrapNeedsReason)
from edge.service.commands import CancelOrder
from edge.service.messagebus import MessageBus
from edge.service.return_commands import CloseReturn, RegisterReturn, ReturnItems, StartReturn
from fake_receiving_uow import FakeReceivingUnitOfWork
from protocols.status import ORDER_PICKING, ORDER_SHIPPED, TASK_PICKED

SAM = "BADGE-0001"
OPS = [f"{n}{n}{n}{n}{n}{n}{n}{n}-1111-4111-8111-111111111111" for n in range(1, 8)]
MUG = Item("SKU-MUG", "Blue mug", ["05012345678900"])
MILK = Item("SKU-MILK", "Oat milk", ["05012345678917"], "lot_expiry")
SHIPPED = {"SKU-MUG": 3, "SKU-MILK": 2}


# -- the domain
def test_a_line_is_booked_in_by_condition_and_scrap_leaves_again_with_its_reason():
    ret = CustomerReturn("RT-1", "SO-1")
    assert ret.take(ReturnedLine("SKU-MUG", 1, condition="restock"), SHIPPED, {}) == [
        StockChanged("RECV", "SKU-MUG", 1, "return", "RT-1")]
    assert ret.take(ReturnedLine("SKU-MUG", 1, condition="quarantine"), SHIPPED, {}) == [
        StockChanged("QUAR", "SKU-MUG", 1, "return", "RT-1")]
    assert ret.take(ReturnedLine("SKU-MILK", 2, "L1", "270101", "scrap", "Leaking"), SHIPPED, {}) == [
        StockChanged("QUAR", "SKU-MILK", 2, "return", "RT-1", "L1"), StockChanged("QUAR", "SKU-MILK", -2, "scrap",
                                                                                  "RT-1", "L1")]


def test_nobody_returns_more_than_shipped_across_returns_nor_what_the_order_never_had():
    ret = CustomerReturn("RT-2", "SO-1")
    with pytest.raises(OverReturn, match="Only 3 x SKU-MUG shipped on order SO-1 and 2 already came back"):
        ret.take(ReturnedLine("SKU-MUG", 2), SHIPPED, {"SKU-MUG": 2})
    with pytest.raises(NotShippedOnOrder):
        ret.take(ReturnedLine("SKU-TEAPOT", 1), SHIPPED, {})
    with pytest.raises(ScrapNeedsReason):
        ret.take(ReturnedLine("SKU-MUG", 1, condition="scrap"), SHIPPED, {})
    assert ret.lines == []


def test_closing_an_rma_return_reports_it_and_names_what_differs_from_the_rma():
    ret = CustomerReturn("RMA-1", "SO-1", "RMA-1", expected={"SKU-MUG": 2})
    ret.take(ReturnedLine("SKU-MUG", 1, condition="quarantine"), SHIPPED, {})
    ret.take(ReturnedLine("SKU-MILK", 1, "L1", "270101", "restock"), SHIPPED, {})
    event = ret.close("BADGE-0001", "2025-03-03T10:00:00+00:00")
    assert isinstance(event, ReturnRecorded) and [line["sku"] for line in event.lines] == ["SKU-MUG", "SKU-MILK"]
    assert ret.discrepancies() == [ReturnDiscrepancy("SKU-MUG", 2, 1, "fewer_than_announced"),
                                   ReturnDiscrepancy("SKU-MILK", 0, 1, "not_announced")]
    with pytest.raises(ReturnClosed):
        ret.take(ReturnedLine("SKU-MUG", 1), SHIPPED, {})
    assert CustomerReturn("RT-3", "SO-1").discrepancies() == []  # unannounced: nothing to compare with


def test_put_backs_take_each_picked_task_back_from_pack_to_its_location_and_nothing_else():
    tasks = [PickTask("T1", "SO-9", 1, "SKU-MUG", "A-01", 3, picked_qty=2),
             PickTask("T2", "SO-9", 2, "SKU-MILK", "B-01", 1)]
    [put_back] = put_backs_for("SO-9", tasks, lambda: "P1")
    assert (put_back.from_location, put_back.suggested, put_back.qty, put_back.kind) == ("PACK", "A-01", 2, PUT_BACK)
    moved = put_back.confirm(Slot("A-01", "LOC-A-01", "A", 10), "", SAM, "now")
    assert moved == [StockChanged("PACK", "SKU-MUG", -2, "put_back", "P1"),
                     StockChanged("A-01", "SKU-MUG", 2, "put_back", "P1")]


def test_a_put_back_of_a_lot_returns_that_lot_to_a_location_still_holding_it_and_takes_lot_less_units_from_pack():
    tasks = [PickTask("T1", "SO-9", 1, "SKU-MILK", "B-01", 2, picked_qty=2, lot="L7")]
    [put_back] = put_backs_for("SO-9", tasks, lambda: "P1", lambda task: "2030-05-31")
    assert (put_back.lot, put_back.expiry) == ("L7", "2030-05-31")
    still_there = Slot("B-01", "LOC-B-01", "B", 10, held=(Quant("SKU-MILK", "L7", "2030-05-31", 4),))
    moved = put_back.confirm(still_there, "", SAM, "now")
    assert moved == [StockChanged("PACK", "SKU-MILK", -2, "put_back", "P1", ""),
                     StockChanged("B-01", "SKU-MILK", 2, "put_back", "P1", "L7")]


# -- the handlers
@pytest.fixture
def uow():
    uow = FakeReceivingUnitOfWork(
        locations=[Location("A-01", "LOC-A-01", "A", 10), Location("A-02", "LOC-A-02", "A", 20),
                   Location("B-01", "LOC-B-01", "B", 30)],
        items=[MUG, MILK], faces={"SKU-MUG": ["A-02"]}, stock_by_lot={("A-01", "SKU-MUG", ""): 40},
        orders=[Order("SO-1", "Tea Rooms Ltd", 5, "2025-03-04",
                      [OrderLine(1, "SKU-MUG", 3), OrderLine(2, "SKU-MILK", 2)], status=ORDER_SHIPPED),
                Order("SO-2", "Cafe Ltd", 5, "2025-03-04", [OrderLine(1, "SKU-MUG", 1)], status=ORDER_PICKING)],
        tasks=[PickTask("T9", "SO-2", 1, "SKU-MUG", "A-01", 1, picked_qty=1, status=TASK_PICKED, picker=SAM)])
    uow.cartons.add(Carton("C1", "SO-1", [{"sku": "SKU-MUG", "qty": 3}, {"sku": "SKU-MILK", "qty": 2}]))
    uow._snapshot = uow._state()
    return uow


@pytest.fixture
def bus(uow):
    return MessageBus(lambda: uow)


def test_an_rma_becomes_an_open_return_once_and_only_for_an_order_shipped_here(bus, uow):
    rma = RegisterReturn("RMA-1", "SO-1", "", [{"sku": "SKU-MUG", "qty": 2, "item": {"sku": "SKU-MUG"}}])
    assert bus.handle(rma) == {"return_id": "RMA-1", "created": True}
    assert uow.returns.get("RMA-1").expected == {"SKU-MUG": 2} and uow.returns.get("RMA-1").customer == "Tea Rooms Ltd"
    commits = uow.commits
    assert bus.handle(rma) == {"return_id": "RMA-1", "created": False} and uow.commits == commits
    with pytest.raises(OrderNotShipped):
        bus.handle(RegisterReturn("RMA-2", "SO-2", "", rma.lines))
    with pytest.raises(UnknownOrder):
        bus.handle(RegisterReturn("RMA-3", "SO-404", "", rma.lines))


def test_a_restock_goes_to_the_items_pick_face_and_a_scanned_location_confirms_it_in_one_step(bus, uow):
    assert bus.handle(StartReturn("RT-1", "SO-1", SAM, "HH-01", OPS[0])).status == 201
    later = bus.handle(ReturnItems("RT-1", "05012345678900", 1, "restock", SAM, "HH-01", OPS[1]))
    assert later.body["putaway_task"]["suggested_location"] == "A-02"  # the pick face, not A-01 holding most
    assert later.body["putaway_task"]["status"] == "open" and "put away to A-02" in later.body["message"]
    now = bus.handle(ReturnItems("RT-1", "SKU-MUG", 1, "restock", SAM, "HH-01", OPS[2], location_barcode="LOC-A-02"))
    assert now.body["putaway_task"]["status"] == "done"
    assert uow.events[-3:] == [StockChanged("RECV", "SKU-MUG", 1, "return", "RT-1"),
                               StockChanged("RECV", "SKU-MUG", -1, "putaway", now.body["putaway_task"]["task_id"]),
                               StockChanged("A-02", "SKU-MUG", 1, "putaway", now.body["putaway_task"]["task_id"])]
    assert uow.receiving.stock[("RECV", "SKU-MUG", "")] == 1 and uow.receiving.stock[("A-02", "SKU-MUG", "")] == 1


def test_refusals_change_nothing_and_a_replay_of_one_is_refused_the_same_way(bus, uow):
    bus.handle(StartReturn("RT-1", "SO-1", SAM, "HH-01", OPS[0]))
    bus.handle(ReturnItems("RT-1", "SKU-MUG", 3, "quarantine", SAM, "HH-01", OPS[1]))
    events = list(uow.events)
    for _ in range(2):
        with pytest.raises(OverReturn):
            bus.handle(ReturnItems("RT-1", "SKU-MUG", 1, "quarantine", SAM, "HH-01", OPS[2]))
    with pytest.raises(TrackingRequired):  # back on the shelf, a lot-tracked item needs its lot and expiry
        bus.handle(ReturnItems("RT-1", "SKU-MILK", 1, "restock", SAM, "HH-01", OPS[3]))
    with pytest.raises(OrderNotShipped):
        bus.handle(StartReturn("RT-2", "SO-2", SAM, "HH-01", OPS[4]))
    assert uow.events == events and uow.ops.get(OPS[2]) is None
    # the lead hears of an item or parcel set aside, once per op_id (the replay adds nothing)
    assert {op_id: r.code for op_id, r in uow.refusals.rows.items()} == {OPS[2]: "over_return",
                                                                          OPS[4]: "order_not_shipped"}
    closed = bus.handle(CloseReturn("RT-1", SAM, "HH-01", OPS[5]))
    assert closed.body["return"]["status"] == "closed" and uow.events[-1].TYPE == "return.recorded"


def test_a_cancel_after_picking_opens_one_put_back_however_often_it_arrives(bus, uow):
    for _ in range(2):
        bus.handle(CancelOrder("SO-2", "customer called"))
    [put_back] = uow.receiving.open_tasks()
    assert (put_back.receipt_id, put_back.sku, put_back.qty, put_back.from_location, put_back.suggested) == (
        "SO-2", "SKU-MUG", 1, "PACK", "A-01")


def test_a_gs1_label_gives_the_lot_and_expiry_kept_with_the_stock_the_task_and_the_lot_register(bus, uow):
    bus.handle(StartReturn("RT-1", "SO-1", SAM, "HH-01", OPS[0]))
    gs1 = "]C10105012345678917" + "10L7\x1d17270101"
    answer = bus.handle(ReturnItems("RT-1", gs1, 2, "restock", SAM, "HH-01", OPS[1]))
    task = answer.body["putaway_task"]
    assert (task["lot"], task["expiry"], task["qty"]) == ("L7", "270101", 2)
    assert uow.events == [StockChanged("RECV", "SKU-MILK", 2, "return", "RT-1", "L7")]
    assert uow.receiving.lots == {("SKU-MILK", "L7"): "270101"}
    assert uow.returns.get("RT-1").lines[0].expiry == "270101"
