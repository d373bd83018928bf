"""Cycle counts and replenishment in the pure domain: thresholds, blind compare, recount, approval, FEFO."""
import pytest

from edge.domain.catalogue import Item
from edge.domain.counts import (COUNT_APPROVED, COUNT_AWAITING_APPROVAL, COUNT_MATCHED, COUNT_RECOUNTED,
                                COUNT_REJECTED, CountNotYours, CountSettings, CountTask, NotAwaitingApproval,
                                Thresholds, WrongCountLocation, compare)
from edge.domain.events import StockChanged
from edge.domain.replenishment import (BadMinMax, MoveScans, PickFace, Replenishment, ReserveStock, TooManyToMove,
                                       WrongLot, WrongMoveScan, choose_reserve, quantity_wanted)

NOW = "2025-03-03T09:00:00+00:00"
SAM, ALEX = "BADGE-0001", "BADGE-0002"


@pytest.mark.parametrize("expected, counted, over", [
    (100, 100, False), (100, 98, False), (100, 97, True),   # more than 2 units
    (20, 19, False),                                           # 1 unit, exactly 5 %
    (20, 22, True),                                            # 2 units but 10 %
    (10, 11, True),                                            # 1 unit is 10 % > 5 %
    (0, 1, True), (0, 0, False)])
def test_a_variance_exceeds_the_threshold_by_units_or_by_percent(expected, counted, over):
    assert Thresholds(2, 5.0).exceeded_by(expected, counted) is over


def test_lots_are_folded_into_lot_less_stock_and_kept_apart_where_the_site_keeps_lots():
    expected = {("SKU-BLUE-MUG", ""): 10, ("SKU-TEAPOT", "L1"): 4, ("SKU-TEAPOT", "L2"): 3}
    counted = {("SKU-BLUE-MUG", "L9"): 6, ("SKU-BLUE-MUG", ""): 3, ("SKU-TEAPOT", "L1"): 4, ("SKU-KETTLE", ""): 1}
    lines = {(l.sku, l.lot): (l.expected, l.counted) for l in compare(expected, counted)}
    assert lines == {("SKU-BLUE-MUG", ""): (10, 9), ("SKU-TEAPOT", "L1"): (4, 4), ("SKU-TEAPOT", "L2"): (3, 0),
                     ("SKU-KETTLE", ""): (0, 1)}


def counted_task(expected, counted, origin="scheduled", empty=False) -> CountTask:
    count = CountTask("CC1", "A-01-01", origin)
    count.hand_to(SAM, "HH-01")
    count.record(SAM, "LOC-A-01-01", "LOC-A-01-01", expected, counted, empty, NOW)
    return count


def test_a_large_variance_asks_for_a_recount_by_someone_else():
    count = counted_task({("SKU-BLUE-MUG", ""): 10}, {("SKU-BLUE-MUG", ""): 4})
    recount, events = count.settle(CountSettings(), "CC2", NOW)
    assert (count.status, events) == (COUNT_RECOUNTED, [])
    assert (recount.origin, recount.parent_id, recount.excluded_badge) == ("recount", "CC1", SAM)
    with pytest.raises(CountNotYours):
        recount.hand_to(SAM, "HH-01")
    recount.hand_to(ALEX, "HH-02")
    assert recount.picker == ALEX


def test_a_recount_confirming_a_large_variance_goes_to_the_lead_and_books_once_approved():
    count = counted_task({("SKU-BLUE-MUG", ""): 100}, {("SKU-BLUE-MUG", ""): 70}, origin="recount")
    recount, events = count.settle(CountSettings(), "CC9", NOW)
    assert (recount, events, count.status) == (None, [], COUNT_AWAITING_APPROVAL)
    assert count.decide(True, "maria", "recounted twice", NOW) == [
        StockChanged("A-01-01", "SKU-BLUE-MUG", -30, "count", "CC1", "")]
    assert count.status == COUNT_APPROVED
    with pytest.raises(NotAwaitingApproval):
        count.decide(True, "maria", "again", NOW)


def test_a_small_variance_is_approved_at_once_and_a_match_books_nothing():
    small = counted_task({("SKU-BLUE-MUG", ""): 100}, {("SKU-BLUE-MUG", ""): 99})
    assert small.settle(CountSettings(), "CC2", NOW) == (None, [StockChanged("A-01-01", "SKU-BLUE-MUG", -1, "count",
                                                                             "CC1", "")])
    assert (small.status, small.decided_by) == (COUNT_APPROVED, "system")
    match = counted_task({("SKU-BLUE-MUG", ""): 100}, {("SKU-BLUE-MUG", ""): 100})
    assert match.settle(CountSettings(), "CC2", NOW) == (None, [])
    assert match.status == COUNT_MATCHED


def test_a_rejected_variance_books_nothing_and_an_empty_location_counts_zero():
    count = counted_task({("SKU-BLUE-MUG", ""): 40}, {}, origin="recount", empty=True)
    count.settle(CountSettings(), "CC2", NOW)
    assert count.lines[0].counted == 0 and count.status == COUNT_AWAITING_APPROVAL
    assert count.decide(False, "maria", "stock is in the overflow bay", NOW) == []
    assert count.status == COUNT_REJECTED


def test_a_count_at_the_wrong_location_is_refused():
    count = CountTask("CC1", "A-01-01")
    count.hand_to(SAM, "HH-01")
    with pytest.raises(WrongCountLocation):
        count.record(SAM, "LOC-B-01-01", "LOC-A-01-01", {}, {("SKU-BLUE-MUG", ""): 1}, False, NOW)
    assert count.lines == []


def test_fefo_takes_the_first_to_expire_then_the_oldest():
    reserves = [ReserveStock("R-1", "L1", 50, "", 1), ReserveStock("R-2", "L2", 50, "260101", 5),
                ReserveStock("R-3", "L3", 50, "251201", 9), ReserveStock("R-4", "L4", 0, "250101", 0)]
    assert choose_reserve(reserves).location == "R-3"
    undated = [ReserveStock("R-1", "", 5, "", 7), ReserveStock("R-2", "", 5, "", 3)]
    assert choose_reserve(undated).location == "R-2"
    assert choose_reserve([]) is None


def test_min_max_and_the_quantity_to_bring():
    face = PickFace("A-01-01", "SKU-BLUE-MUG", 5, 40)
    assert [quantity_wanted(face, on_hand, False) for on_hand in (10, 5, 4, 0)] == [0, 0, 36, 40]
    assert quantity_wanted(face, 30, True) == 40
    with pytest.raises(BadMinMax):
        PickFace("A-01-01", "SKU-BLUE-MUG", 10, 10)


def test_a_move_is_checked_scan_by_scan_and_books_two_replenish_deltas():
    replen = Replenishment("R1", "SKU-BLUE-MUG", "C-01-01", "L1", "A-01-01", 30)
    replen.hand_to(SAM, "HH-01")
    mug = Item("SKU-BLUE-MUG", gtins=["05012345678900"])

    def confirm(**changes):
        scans = {"from_location": "LOC-C-01-01", "item": "05012345678900", "qty": 30, "to_location": "LOC-A-01-01",
                 "lot": "L1", **changes}
        return replen.confirm(SAM, None, MoveScans(**scans), mug, "LOC-C-01-01", "LOC-A-01-01", 100, NOW)

    for bad, error in ((dict(to_location="LOC-B-01-01"), WrongMoveScan), (dict(item="SKU-TEAPOT"), WrongMoveScan),
                       (dict(lot="L2"), WrongLot), (dict(qty=31), TooManyToMove)):
        with pytest.raises(error):
            confirm(**bad)
    assert replen.status == "assigned"
    assert confirm(qty=25) == [StockChanged("C-01-01", "SKU-BLUE-MUG", -25, "replenish", "R1", "L1"),
                               StockChanged("A-01-01", "SKU-BLUE-MUG", 25, "replenish", "R1", "L1")]
    assert (replen.status, replen.moved_qty) == ("done", 25)
