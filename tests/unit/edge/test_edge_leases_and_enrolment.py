"""Leases, fencing, postpone and enrolment as pure domain rules and as handlers over the fake unit of work."""
import pytest

from edge.domain.enrolment import Device, EnrolmentCode, device_token_site, minutes_later, normalise_code
from edge.domain.errors import EnrolmentCodeRefused, LeaseLost, NotYourTask, UnknownDevice
from edge.domain.picking import PickTask
from edge.domain.release import StockSlot, alternative_slot
from edge.service.commands import CreateEnrolmentCode, EnrolDevice, LeaseTasks, PostponeTask, RevokeDevice
from edge.service.messagebus import MessageBus
from protocols.status import TASK_ASSIGNED, TASK_OPEN
from test_edge_handlers import ALEX, OP1, SAM, a_site, release

NINE, TEN = "2025-03-03T09:00:00.000+00:00", "2025-03-03T10:00:00.000+00:00"


def a_task() -> PickTask:
    return PickTask("T1", "SO-1", 1, "SKU-BLUE-MUG", "A-01-01", 3)


def test_a_lease_passes_to_another_picker_only_once_it_has_run_out():
    task = a_task()
    task.lease(SAM, "HH-07", NINE, minutes_later(NINE, 30))
    assert (task.status, task.lease_epoch, task.lease_expires_at) == (TASK_ASSIGNED, 1,
                                                                      "2025-03-03T09:30:00.000+00:00")
    with pytest.raises(NotYourTask):
        task.lease(ALEX, "HH-08", NINE, minutes_later(NINE, 30))
    task.lease(ALEX, "HH-08", TEN, minutes_later(TEN, 30))
    assert (task.picker, task.lease_epoch) == (ALEX, 2)
    with pytest.raises(LeaseLost):
        task.check_lease(1)
    task.check_lease(2)
    task.check_lease(None)  # clients that do not send an epoch are checked by picker only


def test_postpone_gives_the_task_back_under_a_new_epoch():
    task = a_task()
    task.lease(SAM, "HH-07", NINE, minutes_later(NINE, 30))
    task.postpone(SAM)
    assert (task.status, task.picker, task.lease_epoch, task.postponed_by) == (TASK_OPEN, None, 2, SAM)


def test_alternative_slot_skips_the_short_location_and_claimed_stock():
    slots = [StockSlot("A-01-01", 10, 0), StockSlot("B-01-01", 20, 5, reserved=5), StockSlot("C-01-01", 70, 9)]
    assert alternative_slot(slots, "A-01-01").location == "C-01-01"
    assert alternative_slot(slots[:2], "A-01-01") is None


def test_codes_and_tokens_read_the_way_people_type_them():
    assert normalise_code("abcd-ef 23") == "ABCDEF23"
    assert device_token_site("DC01.secret") == "DC01"
    assert device_token_site("no-site") == ""
    code = EnrolmentCode("h", NINE, minutes_later(NINE, 60))
    code.redeem("HH-07", NINE)
    with pytest.raises(EnrolmentCodeRefused):
        code.redeem("HH-08", NINE)
    with pytest.raises(EnrolmentCodeRefused):
        EnrolmentCode("h", NINE, minutes_later(NINE, 60)).redeem("HH-07", TEN)
    device = Device("HH-07", "h", NINE)
    assert device.revoke(TEN) and not device.revoke(TEN) and not device.active


def test_lease_tasks_handler_leases_up_to_the_limit():
    uow = a_site()
    bus = MessageBus(lambda: uow)
    release(bus, "SO-1")
    release(bus, "SO-2", priority=1)
    answer = bus.handle(LeaseTasks(SAM, "HH-07", limit=1))
    assert [t["order_id"] for t in answer["tasks"]] == ["SO-2"]
    assert answer["tasks"][0]["lease_epoch"] == 1
    assert bus.handle(LeaseTasks(ALEX, "HH-08", limit=5))["tasks"][0]["order_id"] == "SO-1"


def test_postpone_handler_is_idempotent_and_fences_old_epochs():
    uow = a_site()
    bus = MessageBus(lambda: uow)
    release(bus)
    task = bus.handle(LeaseTasks(SAM, "HH-07"))["tasks"][0]
    first = bus.handle(PostponeTask(task["task_id"], "blocked_aisle", SAM, "HH-07", OP1, 1))
    assert first.body["task"]["status"] == TASK_OPEN
    assert bus.handle(PostponeTask(task["task_id"], "blocked_aisle", SAM, "HH-07", OP1, 1)).replayed


def test_enrolment_handlers_store_hashes_and_revoke_ends_sessions():
    uow = a_site()
    bus = MessageBus(lambda: uow)
    code = bus.handle(CreateEnrolmentCode(60))["enrolment_code"]
    enrolled = bus.handle(EnrolDevice(code, "HH-07"))
    assert enrolled["device_token"].startswith("DC01.")
    assert enrolled["device_token"] not in repr(uow.devices.rows)
    with pytest.raises(EnrolmentCodeRefused):
        bus.handle(EnrolDevice(code, "HH-08"))
    uow.sessions.add("tok", SAM, "HH-07", NINE)
    assert bus.handle(RevokeDevice("HH-07"))["changed"] is True
    assert uow.sessions.rows == {}
    with pytest.raises(UnknownDevice):
        bus.handle(RevokeDevice("HH-99"))
