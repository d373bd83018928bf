"""The lead's actions on exceptions, through the message bus with an in-memory unit of work."""
import pytest

from edge.domain.errors import TaskClosed, UnknownOrder
from edge.domain.events import OrderStatusChanged, TaskShortRecovered
from edge.domain.lead_actions import (AlreadyResolved, NoFreeStock, ReasonRequired, UnknownPicker,
                                      UnknownResolution)
from edge.service.commands import AssignNextTask, ReportShortPick, ScanLocation
from edge.service.lead_commands import CancelOrderAtSite, ReassignTask, ReleaseShortTask, ResolveException
from edge.service.messagebus import MessageBus
from protocols.status import (ORDER_CANCELLED, ORDER_PICKING, ORDER_SHORT, TASK_ASSIGNED, TASK_CANCELLED, TASK_OPEN,
                              TASK_PICKED, TASK_SHORT)
from test_edge_handlers import ALEX, OP1, OP2, SAM, a_site, release


@pytest.fixture
def uow():
    return a_site()


@pytest.fixture
def bus(uow):
    return MessageBus(lambda: uow)


def short(bus, found: int, qty: int = 5) -> str:
    """Release SO-1 for qty mugs (all at A-01-01) and report its task short with `found` picked."""
    release(bus, qty=qty)
    task = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]
    bus.handle(ScanLocation(task["task_id"], "LOC-A-01-01", SAM, "HH-01", OP1))
    bus.handle(ReportShortPick(task["task_id"], found, "slot empty", SAM, "HH-01", OP2))
    return task["task_id"]


def test_release_elsewhere_moves_the_missing_quantity_and_reopens_the_order(bus, uow):
    task_id = short(bus, found=0)
    uow.stock.quants[("A-01-01", "SKU-BLUE-MUG")] = 0
    answer = bus.handle(ReleaseShortTask(task_id, "C-01-01", "maria", "C has mugs"))
    old, new = uow.tasks.get(task_id), uow.tasks.get(answer["new_task_id"])
    assert (old.status, old.qty) == (TASK_CANCELLED, 0)
    assert (new.location, new.qty, new.status) == ("C-01-01", 5, TASK_OPEN)
    assert uow.orders.get("SO-1").status == ORDER_PICKING
    assert uow.events[-2:] == [
        TaskShortRecovered(task_id, answer["new_task_id"], "SO-1", 1, "SKU-BLUE-MUG", 5),
        OrderStatusChanged("SO-1", ORDER_PICKING, "line 1: 5 x SKU-BLUE-MUG re-released to C-01-01")]
    assert uow.audit.rows[-1][:4] == ("maria", "task.released_elsewhere", f"task:{task_id}", "C has mugs")
    assert uow.resolutions.get("short_pick", task_id).action == "released_elsewhere"


def test_release_elsewhere_takes_only_the_free_stock_and_leaves_the_rest_short(bus, uow):
    task_id = short(bus, found=2, qty=8)
    uow.stock.quants[("C-01-01", "SKU-BLUE-MUG")] = 4
    answer = bus.handle(ReleaseShortTask(task_id, "C-01-01", "maria", "C has some"))
    old = uow.tasks.get(task_id)
    assert answer["qty"] == 4 and (old.qty, old.picked_qty, old.status) == (4, 2, TASK_SHORT)
    recovered = [e for e in uow.events if isinstance(e, TaskShortRecovered)]
    assert recovered == [TaskShortRecovered(task_id, answer["new_task_id"], "SO-1", 1, "SKU-BLUE-MUG", 4)]


@pytest.mark.parametrize("location, error", [("A-01-01", NoFreeStock), ("Z-99", NoFreeStock)])
def test_release_elsewhere_refuses_a_location_without_free_stock(bus, uow, location, error):
    task_id = short(bus, found=2)
    commits = uow.commits
    with pytest.raises(error):
        bus.handle(ReleaseShortTask(task_id, location, "maria", "try"))
    assert uow.commits == commits and uow.tasks.get(task_id).status == TASK_SHORT


def test_only_short_tasks_can_be_released_elsewhere(bus, uow):
    release(bus)
    task = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]
    with pytest.raises(TaskClosed):
        bus.handle(ReleaseShortTask(task["task_id"], "C-01-01", "maria", "not short"))


def test_every_action_needs_a_reason(bus, uow):
    task_id = short(bus, found=2)
    for cmd in (ReleaseShortTask(task_id, "C-01-01", "maria", " "), ReassignTask(task_id, "", "maria", ""),
                CancelOrderAtSite("SO-1", "maria", "no"), ResolveException("short_pick", task_id, "approve_short",
                                                                          "maria", "")):
        with pytest.raises(ReasonRequired):
            bus.handle(cmd)
    assert uow.audit.rows == [] and uow.resolutions.rows == {}


def test_reassign_hands_the_task_over_and_fences_the_old_lease(bus, uow):
    release(bus)
    task = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]
    bus.handle(ReassignTask(task["task_id"], ALEX, "maria", "Sam on break"))
    moved = uow.tasks.get(task["task_id"])
    assert (moved.picker, moved.status, moved.lease_epoch) == (ALEX, TASK_ASSIGNED, task["lease_epoch"] + 1)
    bus.handle(ReassignTask(task["task_id"], "", "maria", "back to the pool"))
    assert (uow.tasks.get(task["task_id"]).picker, uow.tasks.get(task["task_id"]).status) == (None, TASK_OPEN)
    with pytest.raises(UnknownPicker):
        bus.handle(ReassignTask(task["task_id"], "BADGE-9", "maria", "who?"))


def test_resolving_twice_or_with_a_wrong_action_is_refused(bus, uow):
    task_id = short(bus, found=2)
    bus.handle(ResolveException("short_pick", task_id, "approve_short", "maria", "ok by customer"))
    with pytest.raises(AlreadyResolved):
        bus.handle(ResolveException("short_pick", task_id, "approve_short", "maria", "again"))
    with pytest.raises(UnknownResolution):
        bus.handle(ResolveException("short_pick", "T9", "goods_put_back", "maria", "wrong kind"))
    assert len(uow.audit.rows) == 1


def test_cancel_at_site_cancels_open_work_and_tells_the_centre(bus, uow):
    release(bus)
    bus.handle(CancelOrderAtSite("SO-1", "maria", "customer called"))
    assert uow.orders.get("SO-1").status == ORDER_CANCELLED
    assert uow.events[-1] == OrderStatusChanged("SO-1", ORDER_CANCELLED,
                                                "cancelled at the site by maria: customer called")
    with pytest.raises(UnknownOrder):
        bus.handle(CancelOrderAtSite("SO-404", "maria", "nothing"))


def test_a_fully_picked_short_task_goes_picked_when_its_rest_moves(bus, uow):
    task_id = short(bus, found=3, qty=5)
    assert uow.orders.get("SO-1").status == ORDER_SHORT
    bus.handle(ReleaseShortTask(task_id, "C-01-01", "maria", "C has mugs"))
    assert uow.tasks.get(task_id).status == TASK_PICKED
