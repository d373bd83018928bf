"""Handlers driven through the message bus with an in-memory unit of work."""
import pytest

from edge.domain.catalogue import Item, Location, Picker, hash_pin
from edge.domain.errors import NotYourTask, SignInFailed, UnknownTask
from edge.domain.events import OrderStatusChanged, ScanRejected, StockChanged, TaskPicked
from edge.service.commands import (AssignNextTask, CancelOrder, CloseCarton, ConfirmPick, ConfirmShipment,
                                   ReleaseOrder, ScanLocation, SeedSite, SignIn)
from edge.service.idempotency import OpIdReused, request_hash
from edge.service.messagebus import MessageBus
from fake_edge_uow import FakeUnitOfWork
from protocols.status import ORDER_CANCELLED, ORDER_PICKED, ORDER_SHIPPED, TASK_CANCELLED, TASK_PICKED

SAM, ALEX = "BADGE-0001", "BADGE-0002"
OP1, OP2, OP3 = ("11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222",
                 "33333333-3333-4333-8333-333333333333")
MUG = {"sku": "SKU-BLUE-MUG", "description": "Blue mug 350 ml", "gtins": ["05012345678900"]}


def a_site() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        locations=[Location("A-01-01", "LOC-A-01-01", "A", 10), Location("C-01-01", "LOC-C-01-01", "C", 70)],
        pickers=[Picker(SAM, "Sam Picker", hash_pin("1234", iterations=1000)),
                 Picker(ALEX, "Alex Picker", hash_pin("2345", iterations=1000))],
        stock={("A-01-01", "SKU-BLUE-MUG"): 10, ("C-01-01", "SKU-BLUE-MUG"): 100})


def release(bus: MessageBus, order_id="SO-1", qty=3, priority=5, ship_date="2025-03-04") -> None:
    bus.handle(ReleaseOrder(order_id, "Tea Rooms Ltd", priority, ship_date,
                            [{"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": qty, "item": MUG}]))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return a_site()


@pytest.fixture
def bus(uow) -> MessageBus:
    return MessageBus(lambda: uow)


def walk_to_location(bus, badge=SAM, op=OP1) -> str:
    task_id = bus.handle(AssignNextTask(badge, "HH-01"))["task"]["task_id"]
    bus.handle(ScanLocation(task_id, "LOC-A-01-01", badge, "HH-01", op))
    return task_id


def test_release_stores_items_tasks_and_commits_the_released_event(bus, uow):
    release(bus)
    assert uow.commits == 1
    assert uow.events == [OrderStatusChanged("SO-1", "released")]
    assert [(t.location, t.qty) for t in uow.tasks.rows.values()] == [("A-01-01", 3)]
    assert uow.items.get("SKU-BLUE-MUG") == Item("SKU-BLUE-MUG", "Blue mug 350 ml", ["05012345678900"])


def test_replayed_order_allocated_changes_nothing(bus, uow):
    release(bus)
    release(bus, qty=99)
    assert len(uow.tasks.rows) == 1 and len(uow.outbox) == 1


def test_next_task_prefers_the_most_urgent_order(bus, uow):
    release(bus, "SO-LATER", priority=5)
    release(bus, "SO-URGENT", priority=1, ship_date="2025-03-09")
    answer = bus.handle(AssignNextTask(SAM, "HH-01"))
    assert answer["task"]["order_id"] == "SO-URGENT"
    assert bus.handle(AssignNextTask(SAM, "HH-01"))["task"]["task_id"] == answer["task"]["task_id"]
    assert bus.handle(AssignNextTask(ALEX, "HH-02"))["task"]["order_id"] == "SO-LATER"


def test_confirm_pick_moves_stock_and_emits_pick_events_with_the_device_origin(bus, uow):
    release(bus)
    task_id = walk_to_location(bus)
    outcome = bus.handle(ConfirmPick(task_id, "5012345678900", 3, SAM, "HH-01", OP2, "2025-03-03T09:01:00+00:00"))
    assert (outcome.status, outcome.body["order_status"]) == (200, ORDER_PICKED)
    assert uow.stock.quants[("A-01-01", "SKU-BLUE-MUG")] == 7
    assert uow.stock.quants[("PACK", "SKU-BLUE-MUG")] == 3
    picked = [(e, o) for e, o in uow.outbox if isinstance(e, TaskPicked)]
    assert picked[0][0].qty == 3
    assert (picked[0][1].device_id, picked[0][1].op_id, picked[0][1].occurred_at) == (
        "HH-01", OP2, "2025-03-03T09:01:00+00:00")
    assert uow.tasks.get(task_id).status == TASK_PICKED


def test_wrong_location_is_committed_as_a_counted_refusal_and_replays_without_counting_again(bus, uow):
    release(bus)
    task_id = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]["task_id"]
    first = bus.handle(ScanLocation(task_id, "LOC-C-01-01", SAM, "HH-01", OP1))
    replay = bus.handle(ScanLocation(task_id, "LOC-C-01-01", SAM, "HH-01", OP1))
    assert (first.status, first.body["error"]) == (409, "wrong_location")
    assert replay == type(first)(first.status, first.body, replayed=True)
    assert len(uow.scan_errors.rows) == 1
    assert [e for e in uow.events if isinstance(e, ScanRejected)] == [
        ScanRejected(task_id, "location", "A-01-01", "LOC-C-01-01", SAM)]


def test_op_id_reused_for_another_request_or_picker_is_refused(bus, uow):
    release(bus)
    task_id = walk_to_location(bus, op=OP1)
    with pytest.raises(OpIdReused):
        bus.handle(ScanLocation(task_id, "A-01-01", SAM, "HH-01", OP1))
    with pytest.raises(OpIdReused):
        bus.handle(ScanLocation(task_id, "LOC-A-01-01", ALEX, "HH-02", OP1))


def test_refusal_that_is_not_counted_rolls_back_and_records_no_op(bus, uow):
    release(bus)
    task_id = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]["task_id"]
    commits = uow.commits
    with pytest.raises(NotYourTask):
        bus.handle(ScanLocation(task_id, "LOC-A-01-01", ALEX, "HH-02", OP1))
    with pytest.raises(UnknownTask):
        bus.handle(ScanLocation("T404", "LOC-A-01-01", SAM, "HH-01", OP2))
    assert uow.ops.get(OP1) is None and uow.ops.get(OP2) is None and not uow.scan_errors.rows
    # not_your_task is logged for the lead in a commit of its own (refused_ops); unknown_task changes nothing
    assert uow.commits == commits + 1 and list(uow.refusals.rows) == [OP1]


def test_carton_then_shipment_empties_the_pack_area(bus, uow):
    release(bus)
    task_id = walk_to_location(bus)
    bus.handle(ConfirmPick(task_id, "SKU-BLUE-MUG", 3, SAM, "HH-01", OP2))
    carton = bus.handle(CloseCarton("SO-1", SAM, "HH-01", OP3))
    assert (carton.status, carton.body["carton_id"], carton.body["lines"]) == (
        201, "C1", [{"sku": "SKU-BLUE-MUG", "qty": 3}])
    shipped = bus.handle(ConfirmShipment("SO-1", SAM, "HH-01", "44444444-4444-4444-8444-444444444444"))
    assert shipped.body["order_status"] == ORDER_SHIPPED
    assert uow.stock.quants[("PACK", "SKU-BLUE-MUG")] == 0
    assert uow.events[-2] == StockChanged("PACK", "SKU-BLUE-MUG", -3, "ship", "SO-1")


def test_cancel_order_cancels_unfinished_tasks(bus, uow):
    release(bus)
    bus.handle(CancelOrder("SO-1", "customer changed their mind"))
    assert uow.orders.get("SO-1").status == ORDER_CANCELLED
    assert [t.status for t in uow.tasks.rows.values()] == [TASK_CANCELLED]
    assert uow.events[-1] == OrderStatusChanged("SO-1", ORDER_CANCELLED, "customer changed their mind")
    assert bus.handle(AssignNextTask(SAM, "HH-01"))["task"] is None


def test_sign_in_checks_badge_and_pin(bus, uow):
    answer = bus.handle(SignIn(SAM, "1234", "HH-01"))
    assert answer["picker"] == {"badge": SAM, "name": "Sam Picker"} and len(uow.sessions.rows) == 1
    for badge, pin in ((SAM, "9999"), ("BADGE-NOBODY", "1234")):
        with pytest.raises(SignInFailed):
            bus.handle(SignIn(badge, pin, "HH-01"))
    assert len(uow.sessions.rows) == 1


def test_seeding_twice_emits_nothing_the_second_time():
    uow = FakeUnitOfWork()
    bus = MessageBus(lambda: uow)
    seed = SeedSite("DC01", [{"location": "A-01-01", "barcode": "LOC-A-01-01", "zone": "A", "pick_seq": 10}],
                    [{"badge": SAM, "name": "Sam Picker", "pin": "1234"}],
                    [{"location": "A-01-01", "sku": "SKU-BLUE-MUG", "qty": 40}])
    bus.handle(seed)
    first = len(uow.outbox)
    bus.handle(seed)
    assert first == 2 and len(uow.outbox) == 2
    assert uow.stock.on_hand("A-01-01", "SKU-BLUE-MUG") == 40


def test_the_bus_hashes_an_idempotent_command_before_it_queues_for_the_writer(uow):
    queued = []

    def run_grouped(handler, cmd):
        queued.append(dict(vars(cmd)))  # what the command carries when it reaches the writer
        return handler(cmd, uow)

    bus = MessageBus(lambda: uow, run_grouped)
    release(bus)
    task_id = walk_to_location(bus)
    same_request = ScanLocation(task_id, "LOC-A-01-01", SAM, "HH-01", OP1)
    assert queued[-1]["_request_hash"] == request_hash(same_request) == uow.ops.get(OP1).request_hash
    assert request_hash(ScanLocation(task_id, "LOC-A-01-02", SAM, "HH-01", OP1)) != request_hash(same_request)
    assert same_request == ScanLocation(task_id, "LOC-A-01-01", SAM, "HH-01", OP1)  # equality ignores the hash
