"""Handheld ops refused because the floor moved on are logged once for the lead; other refusals change nothing."""
import pytest

from edge.domain.errors import LeaseLost, TaskClosed, TooMany
from edge.service.commands import AssignNextTask, CancelOrder, ConfirmPick, ScanLocation
from edge.service.lead_commands import ReassignTask
from edge.service.messagebus import MessageBus
from edge.service.refused_ops import LOGGED_REFUSALS
from test_edge_handlers import ALEX, OP1, OP2, SAM, a_site, release

SCANNED_AT = "2025-03-03T08:41:07+00:00"  # the device clock, while it was offline


@pytest.fixture
def uow():
    return a_site()


@pytest.fixture
def bus(uow) -> MessageBus:
    return MessageBus(lambda: uow)


def sams_task_at_location(bus) -> dict:
    task = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]
    bus.handle(ScanLocation(task["task_id"], "LOC-A-01-01", SAM, "HH-01", OP1, lease_epoch=task["lease_epoch"]))
    return task


def test_only_the_refusals_that_mean_the_floor_moved_on_are_logged():
    assert LOGGED_REFUSALS == {"lease_lost", "task_closed", "not_your_task", "order_closed",
                               "lot_expired", "batch_closed"}  # the lot expired while the picker held it (issue 9)


def test_a_pick_replayed_after_a_reassignment_is_logged_once_with_the_device_time(bus, uow):
    release(bus)
    task = sams_task_at_location(bus)
    bus.handle(ReassignTask(task["task_id"], ALEX, "maria", "Sam went home"))
    late = ConfirmPick(task["task_id"], "05012345678900", 2, SAM, "HH-01", OP2, scanned_at=SCANNED_AT,
                       lease_epoch=task["lease_epoch"])
    tasks_before, events_before, commits = uow.tasks.rows, uow.events, uow.commits
    with pytest.raises(LeaseLost):
        bus.handle(late)
    with pytest.raises(LeaseLost):
        bus.handle(late)  # the handheld replays its queue again: answered again, logged once
    refused = uow.refusals.rows[OP2]
    assert list(uow.refusals.rows) == [OP2] and uow.commits == commits + 2
    assert (refused.badge, refused.device_id, refused.endpoint, refused.code, refused.task_id,
            refused.occurred_at, refused.at) == (SAM, "HH-01", "confirm_pick", "lease_lost", task["task_id"],
                                                 SCANNED_AT, "2025-03-03T09:00:00+00:00")
    assert refused.request["qty"] == 2 and refused.request["barcode"] == "05012345678900"
    assert "op_id" not in refused.request and refused.message
    assert uow.tasks.rows == tasks_before and uow.ops.get(OP2) is None and uow.events == events_before


def test_a_pick_on_a_cancelled_order_is_logged_as_task_closed(bus, uow):
    release(bus)
    task = sams_task_at_location(bus)
    bus.handle(CancelOrder("SO-1", "customer cancelled"))
    with pytest.raises(TaskClosed):
        bus.handle(ConfirmPick(task["task_id"], "05012345678900", 1, SAM, "HH-01", OP2))
    assert [(r.code, r.occurred_at) for r in uow.refusals.rows.values()] == [("task_closed", "")]


def test_a_wrong_quantity_is_not_logged_and_commits_nothing(bus, uow):
    release(bus)
    task = sams_task_at_location(bus)
    commits = uow.commits
    with pytest.raises(TooMany):
        bus.handle(ConfirmPick(task["task_id"], "05012345678900", 9, SAM, "HH-01", OP2,
                               lease_epoch=task["lease_epoch"]))
    assert uow.refusals.rows == {} and uow.commits == commits and uow.ops.get(OP2) is None
