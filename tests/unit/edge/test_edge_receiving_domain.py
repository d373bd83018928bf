"""Receipts and putaway as pure rules: pallets, tolerance, discrepancies, and where goods may go."""
import pytest

from edge.domain.putaway import (ExpiryMix, LocationFull, OverrideNeedsReason, PutawayDone, PutawayTask, Quant, Slot,
                                 item_zone, suggest_location)
from edge.domain.receiving import (DAMAGED, ExpectedLine, OverReceiptNeedsReason, PalletAlreadyReceived,
                                   PalletNeedsItemScans, Receipt, ReceiptClosed, ReceivedLine, UnknownPallet)

PALLET = "035012345000000016"


def an_asn(tolerance=0) -> Receipt:
    return Receipt("ASN-1", "ASN-1", "Potteries Ltd",
                   [ExpectedLine(1, "SKU-KETTLE", 12, sscc=PALLET), ExpectedLine(2, "SKU-TEAPOT", 6, sscc=PALLET),
                    ExpectedLine(3, "SKU-BLUE-MUG", 10)], over_tolerance_pct=tolerance)


def test_a_pallet_scan_receives_every_line_on_it_once():
    receipt = an_asn()
    lines = receipt.receive_pallet(PALLET, "BADGE-1", set())
    assert [(l.sku, l.qty, l.sscc) for l in lines] == [("SKU-KETTLE", 12, PALLET), ("SKU-TEAPOT", 6, PALLET)]
    with pytest.raises(PalletAlreadyReceived):
        receipt.receive_pallet(PALLET, "BADGE-1", set())
    with pytest.raises(UnknownPallet, match="not on ASN ASN-1"):
        receipt.receive_pallet("035012345000000021", "BADGE-1", set())


def test_a_pallet_of_a_tracked_item_without_its_lot_on_the_asn_needs_item_scans():
    with pytest.raises(PalletNeedsItemScans, match="SKU-TEAPOT"):
        an_asn().receive_pallet(PALLET, "BADGE-1", {"SKU-TEAPOT"})


def test_over_receipt_within_tolerance_is_taken_and_beyond_it_needs_a_reason():
    receipt = an_asn(tolerance=10)
    receipt.receive_items(ReceivedLine("SKU-BLUE-MUG", 11))
    with pytest.raises(OverReceiptNeedsReason, match="Only 10 x SKU-BLUE-MUG"):
        receipt.receive_items(ReceivedLine("SKU-BLUE-MUG", 1))
    with pytest.raises(OverReceiptNeedsReason, match="SKU-SPOON-SET is not on ASN"):
        receipt.receive_items(ReceivedLine("SKU-SPOON-SET", 1))
    receipt.receive_items(ReceivedLine("SKU-BLUE-MUG", 1, reason="supplier extra"))
    assert receipt.received_qty("SKU-BLUE-MUG") == 12


def test_closing_reports_over_short_and_damaged_per_sku_and_a_closed_receipt_takes_nothing():
    receipt = an_asn()
    receipt.receive_pallet(PALLET, "BADGE-1", set())
    receipt.receive_items(ReceivedLine("SKU-BLUE-MUG", 7))
    receipt.receive_items(ReceivedLine("SKU-BLUE-MUG", 1, condition=DAMAGED))
    receipt.receive_items(ReceivedLine("SKU-KETTLE", 1, reason="extra box"))
    event = receipt.close("BADGE-1", "2025-03-03T10:00:00+00:00")
    assert [(d["sku"], d["kind"], d["expected"], d["received"]) for d in event.discrepancies] == [
        ("SKU-KETTLE", "over", 12, 13), ("SKU-BLUE-MUG", "short", 10, 8), ("SKU-BLUE-MUG", "damaged", 10, 1)]
    assert {"sku": "SKU-BLUE-MUG", "qty": 1, "lot": "", "expiry": "", "condition": "damaged"} in event.lines
    with pytest.raises(ReceiptClosed):
        receipt.receive_items(ReceivedLine("SKU-BLUE-MUG", 1))
    with pytest.raises(ReceiptClosed):
        receipt.close("BADGE-1", "later")


def test_a_blind_receipt_has_no_over_or_short_only_damaged():
    receipt = Receipt("BL-1", "", "Walk-in")
    receipt.receive_items(ReceivedLine("SKU-KETTLE", 500))
    receipt.receive_items(ReceivedLine("SKU-KETTLE", 2, condition=DAMAGED))
    assert [(d.kind, d.received) for d in receipt.discrepancies()] == [("damaged", 2)]


def slot(location, zone, seq, *held, capacity=0) -> Slot:
    return Slot(location, f"LOC-{location}", zone, seq, capacity, tuple(Quant(*q) for q in held))


SLOTS = [slot("A-01", "A", 10, ("SKU-MILK", "L1", "250301", 5)),
         slot("A-02", "A", 20),
         slot("A-03", "A", 30, ("SKU-MILK", "L2", "250415", 5)),
         slot("B-01", "B", 40, ("SKU-MILK", "L3", "250415", 1)),
         slot("B-02", "B", 50)]


def test_the_items_zone_is_where_most_of_it_is_and_a_new_item_may_go_anywhere():
    assert item_zone(SLOTS, "SKU-MILK") == "A"
    assert item_zone(SLOTS, "SKU-NEW") is None
    assert suggest_location(SLOTS, "SKU-NEW", "", 1).location == "A-02"  # first empty in the walk


def test_suggestion_consolidates_the_same_expiry_and_never_mixes_expiries():
    assert suggest_location(SLOTS, "SKU-MILK", "250415", 3).location == "A-03"
    assert suggest_location(SLOTS, "SKU-MILK", "250520", 3).location == "A-02"  # an empty one in zone A
    full = [s if s.location != "A-02" else slot("A-02", "A", 20, ("SKU-MILK", "L9", "251231", 1)) for s in SLOTS]
    assert suggest_location(full, "SKU-MILK", "250520", 3) is None


def test_capacity_leaves_out_locations_without_room_for_the_whole_task():
    slots = [slot("A-01", "A", 10, ("SKU-MUG", "", "", 8), capacity=10), slot("A-02", "A", 20, capacity=100)]
    assert suggest_location(slots, "SKU-MUG", "", 2).location == "A-01"
    assert suggest_location(slots, "SKU-MUG", "", 3).location == "A-02"
    assert slots[0].free == 2 and slots[1].free == 100 and SLOTS[1].free is None


def test_putaway_to_another_location_needs_a_reason_and_the_rules_still_hold():
    task = PutawayTask("P1", "ASN-1", "SKU-MILK", "L4", "250520", 3, suggested="A-02")
    with pytest.raises(OverrideNeedsReason, match="suggested location is A-02"):
        task.confirm(SLOTS[4], "", "BADGE-1", "now")
    with pytest.raises(ExpiryMix, match="A-01 already holds SKU-MILK expiring 250301"):
        task.confirm(SLOTS[0], "closer", "BADGE-1", "now")
    with pytest.raises(LocationFull, match="room for 0"):
        task.confirm(slot("B-03", "B", 60, ("SKU-X", "", "", 5), capacity=5), "closer", "BADGE-1", "now")
    events = task.confirm(SLOTS[4], "A-02 blocked by a pallet", "BADGE-1", "now")
    assert [(e.location, e.qty_delta, e.reason, e.lot) for e in events] == [
        ("RECV", -3, "putaway", "L4"), ("B-02", 3, "putaway", "L4")]
    assert (task.status, task.location, task.override_reason) == ("done", "B-02", "A-02 blocked by a pallet")
    with pytest.raises(PutawayDone, match="already done"):
        task.confirm(SLOTS[4], "again", "BADGE-1", "now")
