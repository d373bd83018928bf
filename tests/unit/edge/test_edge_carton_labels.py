"""Closing a carton through the labels port: SSCC, label job and carton commit together."""
import pytest

from edge.domain.catalogue import Location, Picker, hash_pin
from edge.domain.errors import LabelsUnavailable
from edge.domain.events import CartonClosed
from edge.service.commands import AssignNextTask, CloseCarton, ConfirmPick, ReleaseOrder, ScanLocation
from edge.service.messagebus import MessageBus
from fake_edge_uow import FakeCartonLabels, FakeUnitOfWork
from protocols.labels import SsccSeries
from protocols.status import ORDER_PACKED, ORDER_PICKED

SAM = "BADGE-0001"
SERIES = SsccSeries("7612345", 3, 1000, 1999)
MUG = {"sku": "SKU-BLUE-MUG", "description": "Blue mug 350 ml", "gtins": ["05012345678900"]}
CLOSE_OP = "33333333-3333-4333-8333-333333333333"


def picked_site(labels) -> tuple[FakeUnitOfWork, MessageBus]:
    """A site whose order SO-1 (2 blue mugs for Tea Rooms Ltd) is picked and waits to be packed."""
    uow = FakeUnitOfWork(locations=[Location("A-01-03", "LOC-A-01-03", "A", 10)],
                         pickers=[Picker(SAM, "Sam Picker", hash_pin("1234", iterations=1000))],
                         stock={("A-01-03", "SKU-BLUE-MUG"): 10}, labels=labels)
    bus = MessageBus(lambda: uow)
    bus.handle(ReleaseOrder("SO-1", "Tea Rooms Ltd", 5, "2025-03-04",
                            [{"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": 2, "item": MUG}]))
    task_id = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]["task_id"]
    bus.handle(ScanLocation(task_id, "LOC-A-01-03", SAM, "HH-01", "11111111-1111-4111-8111-111111111111"))
    bus.handle(ConfirmPick(task_id, "SKU-BLUE-MUG", 2, SAM, "HH-01", "22222222-2222-4222-8222-222222222222"))
    assert uow.orders.get("SO-1").status == ORDER_PICKED
    return uow, bus


def test_close_carton_issues_an_sscc_and_queues_its_label_in_the_same_commit():
    uow, bus = picked_site(FakeCartonLabels(SERIES))
    commits = uow.commits
    answer = bus.handle(CloseCarton("SO-1", SAM, "HH-01", CLOSE_OP))
    sscc = SERIES.sscc(1000)
    assert (answer.status, answer.body["sscc"], answer.body["order_status"]) == (201, sscc, ORDER_PACKED)
    assert uow.commits == commits + 1
    assert uow.labels.jobs == [("PACK-1", "C1", "SO-1", "Tea Rooms Ltd", sscc)]
    assert uow.cartons.for_order("SO-1")[0].sscc == sscc
    closed = [e for e in uow.events if isinstance(e, CartonClosed)]
    assert closed == [CartonClosed("C1", "SO-1", [{"sku": "SKU-BLUE-MUG", "qty": 2}], sscc)]
    assert closed[0].data()["sscc"] == sscc


def test_replayed_close_answers_the_same_sscc_and_issues_no_second_one():
    uow, bus = picked_site(FakeCartonLabels(SERIES))
    first = bus.handle(CloseCarton("SO-1", SAM, "HH-01", CLOSE_OP))
    again = bus.handle(CloseCarton("SO-1", SAM, "HH-01", CLOSE_OP))
    assert again.replayed and again.body["sscc"] == first.body["sscc"]
    assert len(uow.labels.jobs) == 1


def test_without_device_config_no_sscc_and_no_label_job():
    uow, bus = picked_site(FakeCartonLabels())
    answer = bus.handle(CloseCarton("SO-1", SAM, "HH-01", CLOSE_OP))
    assert (answer.status, answer.body["sscc"]) == (201, "")
    assert uow.labels.jobs == []
    closed = next(e for e in uow.events if isinstance(e, CartonClosed))
    assert "sscc" not in closed.data()


class LabelsFailingAfterQueueing(FakeCartonLabels):
    """Queue the job, then fail, as a used-up SSCC range or a broken template would."""

    def label_carton(self, carton, order):
        super().label_carton(carton, order)
        raise LabelsUnavailable("The SSCC range 1000-1999 is used up.")


def test_a_label_failure_closes_no_carton_and_leaves_no_job():
    uow, bus = picked_site(LabelsFailingAfterQueueing(SERIES))
    commits = uow.commits
    with pytest.raises(LabelsUnavailable):
        bus.handle(CloseCarton("SO-1", SAM, "HH-01", CLOSE_OP))
    assert uow.commits == commits and uow.labels.jobs == [] and uow.cartons.for_order("SO-1") == []
    assert uow.orders.get("SO-1").status == ORDER_PICKED and uow.ops.get(CLOSE_OP) is None
