"""Count and replenishment handlers through the message bus, with the in-memory unit of work."""
import pytest

from edge.domain.catalogue import Item, Location, Picker, hash_pin
from edge.domain.counts import CountNotYours, NotAwaitingApproval
from edge.domain.events import StockChanged
from edge.domain.lead_actions import ReasonRequired
from edge.domain.replenishment import PickFace
from edge.service.commands import AssignNextTask, ConfirmPick, ReleaseOrder, ReportShortPick, ScanLocation
from edge.service.count_commands import (ConfirmReplenishment, CreateCounts, DecideCount, SetCountSettings,
                                         SubmitCount, TakeNextCount, TakeNextReplenishment)
from edge.service.messagebus import MessageBus
from fake_edge_uow import FakeUnitOfWork

SAM, ALEX = "BADGE-0001", "BADGE-0002"
MUG = {"sku": "SKU-BLUE-MUG", "description": "Blue mug 350 ml", "gtins": ["05012345678900"]}


def op(n: int) -> str:
    return f"{n:08d}-1111-4111-8111-111111111111"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        locations=[Location("A-01-01", "LOC-A-01-01", "A", 10), Location("A-01-02", "LOC-A-01-02", "A", 20),
                   Location("C-01-01", "LOC-C-01-01", "C", 70), Location("C-01-02", "LOC-C-01-02", "C", 80)],
        items=[Item("SKU-BLUE-MUG", "Blue mug", ["05012345678900"])],
        pickers=[Picker(SAM, "Sam", hash_pin("1234", iterations=1000)),
                 Picker(ALEX, "Alex", hash_pin("2345", iterations=1000))],
        stock={("A-01-01", "SKU-BLUE-MUG"): 12, ("C-01-01", "SKU-BLUE-MUG"): 100,
               ("C-01-02", "SKU-BLUE-MUG"): 100},
        pick_faces=[PickFace("A-01-01", "SKU-BLUE-MUG", 5, 40)])


@pytest.fixture
def bus(uow) -> MessageBus:
    return MessageBus(lambda: uow)


def pick(bus, qty: int, short: bool = False) -> None:
    bus.handle(ReleaseOrder("SO-1", "Tea Rooms Ltd", 5, "2025-03-04",
                            [{"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": qty, "item": MUG}]))
    task_id = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]["task_id"]
    bus.handle(ScanLocation(task_id, "LOC-A-01-01", SAM, "HH-01", op(1)))
    if short:
        bus.handle(ReportShortPick(task_id, 0, "empty", SAM, "HH-01", op(2)))
    else:
        bus.handle(ConfirmPick(task_id, "SKU-BLUE-MUG", qty, SAM, "HH-01", op(2)))


def count(bus, badge, device, qty, n, empty=False):
    count_id = bus.handle(TakeNextCount(badge, device))["count"]["count_id"]
    lines = () if empty else (("05012345678900", qty),)
    return bus.handle(SubmitCount(count_id, "LOC-A-01-01", lines, empty, badge, device, op(n)))


def test_a_pick_leaving_the_face_below_min_plans_a_replenishment_up_to_max(bus, uow):
    pick(bus, 10)
    (replen,) = uow.replenishments.rows.values()
    assert (replen.from_location, replen.to_location, replen.qty, replen.trigger) == (
        "C-01-01", "A-01-01", 38, "below_min")


def test_a_short_pick_asks_for_a_count_and_a_full_refill(bus, uow):
    pick(bus, 3, short=True)
    (count_task,) = uow.counts.rows.values()
    (replen,) = uow.replenishments.rows.values()
    assert (count_task.location, count_task.origin) == ("A-01-01", "short_pick")
    assert (replen.qty, replen.trigger) == (40, "short_pick")


def test_a_replenishment_moves_stock_from_reserve_to_face(bus, uow):
    pick(bus, 10)
    replen = bus.handle(TakeNextReplenishment(ALEX, "HH-02"))["replenishment"]
    assert "expected" not in replen and replen["to_barcode"] == "LOC-A-01-01"
    answer = bus.handle(ConfirmReplenishment(replen["replen_id"], "LOC-C-01-01", "05012345678900", 38, "LOC-A-01-01",
                                             ALEX, "HH-02", op(3)))
    assert answer.status == 200
    assert uow.events[-2:] == [StockChanged("C-01-01", "SKU-BLUE-MUG", -38, "replenish", replen["replen_id"]),
                               StockChanged("A-01-01", "SKU-BLUE-MUG", 38, "replenish", replen["replen_id"])]
    assert uow.stock.quants[("A-01-01", "SKU-BLUE-MUG")] == 40


def test_a_recount_goes_to_another_picker_and_the_lead_decides(bus, uow):
    bus.handle(CreateCounts(("A-01-01",), actor="maria", reason="weekly count"))
    bus.handle(SetCountSettings(2, 5.0, 2, 5.0))
    first = count(bus, SAM, "HH-01", 7, 1)
    assert first.body["status"] == "recounted"
    assert bus.handle(TakeNextCount(SAM, "HH-01"))["count"] is None  # not the first counter
    second = count(bus, ALEX, "HH-02", 7, 2)
    assert second.body["status"] == "awaiting_approval"
    assert [e for e in uow.events if e.reason == "count"] == []
    with pytest.raises(ReasonRequired):
        bus.handle(DecideCount(second.body["count_id"], True, "maria", ""))
    bus.handle(DecideCount(second.body["count_id"], True, "maria", "checked the bay"))
    assert uow.events[-1] == StockChanged("A-01-01", "SKU-BLUE-MUG", -5, "count", second.body["count_id"])
    assert uow.stock.quants[("A-01-01", "SKU-BLUE-MUG")] == 7
    assert uow.audit.rows[-1][:4] == ("maria", "count.approved", f"count:{second.body['count_id']}", "checked the bay")
    with pytest.raises(NotAwaitingApproval):
        bus.handle(DecideCount(second.body["count_id"], False, "maria", "changed my mind"))


def test_a_rejected_variance_books_nothing(bus, uow):
    bus.handle(CreateCounts(("A-01-01",), origin="anomaly"))
    bus.handle(SetCountSettings(100, 100.0, 0, 0.0))  # no recount; every variance needs the lead
    answer = count(bus, SAM, "HH-01", 0, 1, empty=True)
    events_before = list(uow.events)
    bus.handle(DecideCount(answer.body["count_id"], False, "maria", "goods are on a pallet nearby"))
    assert uow.events == events_before
    assert uow.stock.quants[("A-01-01", "SKU-BLUE-MUG")] == 12


def test_a_replayed_count_is_answered_again_and_booked_once(bus, uow):
    bus.handle(CreateCounts(("A-01-01",)))
    bus.handle(SetCountSettings(2, 10.0, 5, 50.0))  # 1 under 12 is small: approved at once
    count_id = bus.handle(TakeNextCount(SAM, "HH-01"))["count"]["count_id"]
    submit = SubmitCount(count_id, "LOC-A-01-01", (("SKU-BLUE-MUG", 11),), False, SAM, "HH-01", op(1))
    first, again = bus.handle(submit), bus.handle(submit)
    assert again.replayed and again.body == first.body
    assert [e.qty_delta for e in uow.events if e.reason == "count"] == [-1]


def test_only_the_counter_may_submit(bus, uow):
    bus.handle(CreateCounts(("A-01-01",)))
    count_id = bus.handle(TakeNextCount(SAM, "HH-01"))["count"]["count_id"]
    with pytest.raises(CountNotYours):
        bus.handle(SubmitCount(count_id, "LOC-A-01-01", (("SKU-BLUE-MUG", 12),), False, ALEX, "HH-02", op(5)))
