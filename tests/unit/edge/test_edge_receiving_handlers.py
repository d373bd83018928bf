"""Receiving and putaway handlers through the message bus with in-memory fakes."""
import pytest

from edge.domain.catalogue import Item, Location
from edge.domain.events import StockChanged
from edge.domain.errors import TrackingRequired
from edge.domain.putaway import OverrideNeedsReason, PutawayDone
from edge.domain.receiving import ReceiptRecorded
from edge.service.idempotency import OpIdReused
from edge.service.messagebus import MessageBus
from edge.service.receiving import ReceiptIdTaken, UnknownItemScan, UnknownReceipt
from edge.service.receiving_commands import (CloseReceipt, ConfirmPutaway, ReceiveItems, ReceivePallet, RegisterAsn,
                                             StartBlindReceipt)
from fake_receiving_uow import FakeReceivingUnitOfWork

SAM = "BADGE-0001"
OP1, OP2, OP3, OP4 = (f"{n}{n}{n}{n}{n}{n}{n}{n}-1111-4111-8111-111111111111" for n in range(1, 5))
PALLET = "035012345000000016"
KETTLE = {"sku": "SKU-KETTLE", "description": "Kettle 1.7 l", "gtins": ["05012345678931"]}
MILK = {"sku": "SKU-MILK", "description": "Oat milk 1 l", "gtins": ["05012345678900"], "tracking": "lot_expiry"}
LINES = [{"line_no": 1, "sku": "SKU-KETTLE", "qty": 12, "sscc": PALLET, "item": KETTLE},
         {"line_no": 2, "sku": "SKU-MILK", "qty": 10, "item": MILK}]


@pytest.fixture
def uow():
    return FakeReceivingUnitOfWork(
        locations=[Location("A-01", "LOC-A-01", "A", 10), Location("B-01", "LOC-B-01", "B", 20),
                   Location("B-02", "LOC-B-02", "B", 30)],
        stock_by_lot={("B-01", "SKU-KETTLE", ""): 40})


@pytest.fixture
def bus(uow):
    bus = MessageBus(lambda: uow)
    bus.handle(RegisterAsn("ASN-1", "Potteries Ltd", LINES))
    return bus


def test_an_asn_becomes_an_open_receipt_its_items_are_learnt_and_a_repeat_changes_nothing(bus, uow):
    assert uow.receiving.get_receipt("ASN-1").expected[0].sscc == PALLET
    assert uow.items.get("SKU-MILK") == Item("SKU-MILK", "Oat milk 1 l", ["05012345678900"], "lot_expiry")
    commits = uow.commits
    assert bus.handle(RegisterAsn("ASN-1", "Other", LINES[:1])) == {"receipt_id": "ASN-1", "created": False}
    assert uow.commits == commits and uow.receiving.get_receipt("ASN-1").supplier == "Potteries Ltd"


def test_a_pallet_lands_at_the_dock_with_a_receive_delta_and_a_putaway_task_in_the_items_zone(bus, uow):
    outcome = bus.handle(ReceivePallet("ASN-1", PALLET, SAM, "HH-01", OP1))
    assert outcome.status == 201
    assert uow.events == [StockChanged("RECV", "SKU-KETTLE", 12, "receive", "ASN-1", "")]
    [task] = outcome.body["putaway_tasks"]
    assert (task["sku"], task["qty"], task["suggested_location"], task["suggested_barcode"]) == (
        "SKU-KETTLE", 12, "B-01", "LOC-B-01")
    assert uow.receiving.stock[("RECV", "SKU-KETTLE", "")] == 12


def test_a_refused_scan_changes_nothing_and_its_replay_gets_the_same_refusal(bus, uow):
    commits = uow.commits
    with pytest.raises(UnknownItemScan):
        bus.handle(ReceiveItems("ASN-1", "SKU-NOPE", 1, SAM, "HH-01", OP1))
    with pytest.raises(UnknownReceipt):
        bus.handle(ReceiveItems("ASN-404", "SKU-KETTLE", 1, SAM, "HH-01", OP2))
    for _ in range(2):  # a refusal stores nothing, so its replay is refused the same way
        with pytest.raises(TrackingRequired, match="lot and expiry"):
            bus.handle(ReceiveItems("ASN-1", "05012345678900", 2, SAM, "HH-01", OP3))
    assert uow.commits == commits and uow.events == [] and uow.receiving.stock == {("B-01", "SKU-KETTLE", ""): 40}
    assert uow.ops.get(OP3) is None


def test_gs1_lot_and_expiry_are_kept_with_the_stock_and_the_task(bus, uow):
    gs1 = "]C1010501234567890010L7\x1d17250520"
    outcome = bus.handle(ReceiveItems("ASN-1", gs1, 4, SAM, "HH-01", OP1))
    assert uow.events == [StockChanged("RECV", "SKU-MILK", 4, "receive", "ASN-1", "L7")]
    assert uow.receiving.lots == {("SKU-MILK", "L7"): "250520"}
    assert (outcome.body["putaway_tasks"][0]["lot"], outcome.body["putaway_tasks"][0]["expiry"]) == ("L7", "250520")
    with pytest.raises(OpIdReused):
        bus.handle(ReceiveItems("ASN-1", gs1, 5, SAM, "HH-01", OP1))


def test_closing_records_exceptions_and_sends_receipt_recorded(bus, uow):
    bus.handle(ReceivePallet("ASN-1", PALLET, SAM, "HH-01", OP1))
    bus.handle(ReceiveItems("ASN-1", "]C1010501234567890010L7\x1d17250520", 8, SAM, "HH-01", OP2))
    closed = bus.handle(CloseReceipt("ASN-1", SAM, "HH-01", OP3))
    assert "short SKU-MILK: 8 of 10" in closed.body["message"]
    assert uow.receiving.exceptions == [("ASN-1", "SKU-MILK", 10, 8, "short")]
    [event] = [e for e in uow.events if isinstance(e, ReceiptRecorded)]
    assert event.discrepancies == [{"sku": "SKU-MILK", "expected": 10, "received": 8, "kind": "short"}]
    assert event.lines[1] == {"sku": "SKU-MILK", "qty": 8, "lot": "L7", "expiry": "250520", "condition": "ok"}


def test_putaway_moves_stock_from_the_dock_and_an_override_needs_a_reason(bus, uow):
    task_id = bus.handle(ReceivePallet("ASN-1", PALLET, SAM, "HH-01", OP1)).body["putaway_tasks"][0]["task_id"]
    with pytest.raises(OverrideNeedsReason):
        bus.handle(ConfirmPutaway(task_id, "LOC-B-02", SAM, "HH-01", OP2))
    done = bus.handle(ConfirmPutaway(task_id, "loc-b-02", SAM, "HH-01", OP3, reason="B-01 full"))
    assert done.body["task"]["location"] == "B-02" and done.body["task"]["override_reason"] == "B-01 full"
    assert uow.events[-2:] == [StockChanged("RECV", "SKU-KETTLE", -12, "putaway", task_id, ""),
                               StockChanged("B-02", "SKU-KETTLE", 12, "putaway", task_id, "")]
    assert uow.receiving.stock[("RECV", "SKU-KETTLE", "")] == 0 and uow.receiving.stock[("B-02", "SKU-KETTLE", "")] == 12
    with pytest.raises(PutawayDone, match="to B-02"):
        bus.handle(ConfirmPutaway(task_id, "LOC-B-01", SAM, "HH-02", OP4))


def test_a_blind_receipt_takes_any_known_item_and_its_id_cannot_be_reused(bus, uow):
    bus.handle(StartBlindReceipt("BL-1", "Walk-in", SAM, "HH-01", OP1))
    bus.handle(ReceiveItems("BL-1", "SKU-KETTLE", 300, SAM, "HH-01", OP2))
    assert uow.receiving.get_receipt("BL-1").received_qty("SKU-KETTLE") == 300
    with pytest.raises(ReceiptIdTaken):
        bus.handle(StartBlindReceipt("ASN-1", "Walk-in", SAM, "HH-01", OP3))
