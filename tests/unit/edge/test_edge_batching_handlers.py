"""Wave release, batch claim, put-to-tote picks, shorts and close, through the bus with an in-memory site."""
import pytest

from edge.domain.batch_errors import BatchNotDone, NothingToWave, NotWaveable, UnknownBatch, WrongTote
from edge.domain.catalogue import Location
from edge.domain.errors import LeaseLost
from edge.domain.events import OrderBatched, OrderStatusChanged, ScanRejected, StockChanged, TaskPicked, TaskShorted
from edge.domain.lead_actions import ReasonRequired
from edge.service.batch_commands import CancelBatch, CloseBatch, ConfirmBatchPick, ReleaseWave, TakeNextBatch
from edge.service.commands import ReleaseOrder, ReportShortPick, ScanLocation
from edge.service.messagebus import MessageBus
from fake_batches import batch_site
from protocols.status import ORDER_PICKED, ORDER_SHORT, TASK_OPEN

SAM = "BADGE-0001"
MUG = {"sku": "SKU-BLUE-MUG", "description": "Blue mug", "gtins": ["05012345678900"]}
KETTLE = {"sku": "SKU-KETTLE", "description": "Kettle", "gtins": []}


@pytest.fixture
def uow():
    return batch_site(locations=[Location("A-01-01", "LOC-A-01-01", "A", 10),
                                 Location("B-01-01", "LOC-B-01-01", "B", 40)],
                      stock={("A-01-01", "SKU-BLUE-MUG"): 10, ("B-01-01", "SKU-KETTLE"): 5})


@pytest.fixture
def bus(uow):
    bus = MessageBus(lambda: uow)
    for order_id, priority, ship, lines in (("SO-1", 5, "2025-03-04", [(KETTLE, 1), (MUG, 2)]),
                                            ("SO-2", 1, "2025-03-04", [(MUG, 1)]),
                                            ("SO-3", 5, "2025-03-09", [(MUG, 1)])):
        bus.handle(ReleaseOrder(order_id, "Tea Rooms Ltd", priority, ship, [
            {"line_no": n, "sku": item["sku"], "qty": qty, "item": item} for n, (item, qty) in enumerate(lines, 1)]))
    return bus


def op(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def released_wave(bus, uow) -> dict:
    answer = bus.handle(ReleaseWave(cart_slots=4, ship_by="2025-03-05", actor="maria", reason="14:00 van"))
    uow.outbox.clear()
    return answer


def test_the_cut_off_rule_releases_due_orders_into_one_cart_and_tells_the_centre(bus, uow):
    answer = bus.handle(ReleaseWave(cart_slots=4, ship_by="2025-03-05", actor="maria", reason="14:00 van"))
    assert answer["batches"] == [{"batch_id": "B1", "orders": ["SO-2", "SO-1"]}]
    assert uow.events[-2:] == [OrderBatched("SO-2", "W1", "B1", "released", 1, "", "maria"),
                               OrderBatched("SO-1", "W1", "B1", "released", 2, "", "maria")]
    assert uow.audit.rows[-1][:4] == ("maria", "wave.released", "W1", "14:00 van")
    with pytest.raises(NothingToWave):  # both due orders are in a live batch now
        bus.handle(ReleaseWave(cart_slots=4, ship_by="2025-03-05"))
    with pytest.raises(NotWaveable, match="SO-1"):
        bus.handle(ReleaseWave(cart_slots=4, order_ids=("SO-3", "SO-1")))
    assert bus.handle(ReleaseWave(cart_slots=2, order_ids=("SO-3",)))["batches"][0]["orders"] == ["SO-3"]


def test_the_picker_gets_one_walk_sorted_by_location_across_the_orders(bus, uow):
    released_wave(bus, uow)
    answer = bus.handle(TakeNextBatch(SAM, "HH-01"))
    stops = answer["batch"]["stops"]
    assert [(s["location"], s["order_id"], s["slot"]) for s in stops] == [
        ("A-01-01", "SO-2", 1), ("A-01-01", "SO-1", 2), ("B-01-01", "SO-1", 2)]
    assert "Put an empty tote in slot(s) 1, 2" in answer["message"]
    assert bus.handle(TakeNextBatch(SAM, "HH-01"))["batch"]["batch_id"] == "B1"  # own batch again
    assert bus.handle(TakeNextBatch("BADGE-0002", "HH-02"))["batch"] is None


def pick(bus, stop, tote, qty=None, n=10, barcode=None):
    bus.handle(ScanLocation(stop["task_id"], stop["location_barcode"], SAM, "HH-01", op(n),
                            lease_epoch=stop["lease_epoch"]))
    return bus.handle(ConfirmBatchPick("B1", stop["task_id"], barcode or stop["item_barcodes"][-1],
                                       qty or stop["qty"], tote, SAM, "HH-01", op(n + 1),
                                       lease_epoch=stop["lease_epoch"]))


def test_a_batch_pick_moves_stock_like_a_single_pick_and_binds_the_tote(bus, uow):
    released_wave(bus, uow)
    stops = bus.handle(TakeNextBatch(SAM, "HH-01"))["batch"]["stops"]
    outcome = pick(bus, stops[0], "TOTE-01")
    assert outcome.status == 200 and (outcome.body["tote"], outcome.body["slot"]) == ("TOTE-01", 1)
    assert outcome.body["order_status"] == ORDER_PICKED
    assert "Put 1 x SKU-BLUE-MUG in tote TOTE-01 (slot 1). Next: A-01-01." == outcome.body["message"]
    assert uow.stock.quants[("A-01-01", "SKU-BLUE-MUG")] == 9
    assert [type(e) for e in uow.events] == [StockChanged, StockChanged, TaskPicked, OrderStatusChanged]
    replay = bus.handle(ConfirmBatchPick("B1", stops[0]["task_id"], stops[0]["item_barcodes"][-1], 1, "TOTE-01",
                                         SAM, "HH-01", op(11), lease_epoch=stops[0]["lease_epoch"]))
    assert replay.replayed and replay.body == outcome.body
    assert uow.stock.quants[("A-01-01", "SKU-BLUE-MUG")] == 9
    assert uow.batches.rows["B1"].slots[0].tote == "TOTE-01"


def test_a_wrong_tote_or_item_changes_no_stock_and_binds_no_tote(bus, uow):
    released_wave(bus, uow)
    stops = bus.handle(TakeNextBatch(SAM, "HH-01"))["batch"]["stops"]
    pick(bus, stops[0], "TOTE-01")
    with pytest.raises(WrongTote):
        pick(bus, stops[1], "TOTE-01", n=20)
    wrong_item = pick(bus, stops[1], "TOTE-02", n=30, barcode="SKU-KETTLE")
    assert (wrong_item.status, wrong_item.body["error"]) == (409, "wrong_item")
    assert isinstance(uow.events[-1], ScanRejected)  # counted like a single pick's wrong item
    assert uow.batches.rows["B1"].slots[1].tote == ""
    assert uow.stock.quants[("A-01-01", "SKU-BLUE-MUG")] == 9


def test_a_short_in_a_batch_is_the_same_exception_and_closing_hands_the_totes_over(bus, uow):
    released_wave(bus, uow)
    stops = bus.handle(TakeNextBatch(SAM, "HH-01"))["batch"]["stops"]
    pick(bus, stops[0], "TOTE-01")
    pick(bus, stops[1], "TOTE-02", n=20)
    with pytest.raises(BatchNotDone):
        bus.handle(CloseBatch("B1", SAM, "HH-01", op(40)))
    bus.handle(ReportShortPick(stops[2]["task_id"], 0, "damaged", SAM, "HH-01", op(50),
                               lease_epoch=stops[2]["lease_epoch"]))
    assert any(isinstance(e, TaskShorted) and e.task_id == stops[2]["task_id"] for e in uow.events)
    assert uow.orders.rows["SO-1"].status == ORDER_SHORT
    closed = bus.handle(CloseBatch("B1", SAM, "HH-01", op(60)))
    assert closed.body["totes"] == [{"slot": 1, "order_id": "SO-2", "tote": "TOTE-01"},
                                    {"slot": 2, "order_id": "SO-1", "tote": "TOTE-02"}]
    assert "TOTE-01 (SO-2), TOTE-02 (SO-1)" in closed.body["message"]
    assert uow.events[-2:] == [OrderBatched("SO-2", "W1", "B1", "picked", 1, "TOTE-01", SAM),
                               OrderBatched("SO-1", "W1", "B1", "picked", 2, "TOTE-02", SAM)]
    assert bus.handle(CloseBatch("B1", SAM, "HH-01", op(60))).replayed


def test_the_lead_stops_a_batch_and_the_pickers_late_ops_are_fenced(bus, uow):
    released_wave(bus, uow)
    stops = bus.handle(TakeNextBatch(SAM, "HH-01"))["batch"]["stops"]
    with pytest.raises(ReasonRequired):
        bus.handle(CancelBatch("B1", "maria", ""))
    assert bus.handle(CancelBatch("B1", "maria", "picker went home"))["status"] == "cancelled"
    assert {t.status for t in uow.tasks.rows.values()} == {TASK_OPEN}
    assert uow.events[-1] == OrderBatched("SO-1", "W1", "B1", "cancelled", 2, "", "maria")
    with pytest.raises(LeaseLost):
        bus.handle(ScanLocation(stops[0]["task_id"], "LOC-A-01-01", SAM, "HH-01", op(70),
                                lease_epoch=stops[0]["lease_epoch"]))
    with pytest.raises(UnknownBatch):
        bus.handle(CloseBatch("B9", SAM, "HH-01", op(80)))
