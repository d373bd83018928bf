"""FEFO allocation, expiry by the site's calendar, and which lot a pick may take (issue 9)."""
from itertools import count

import pytest

from edge.domain.lots import (SAME_OR_EARLIER_EXPIRY, LabelExpiryMismatch, LotAtLocation, LotExpired, LotPolicy,
                              WrongLot, allocatable, expiry_date, is_expired, lot_to_take, substitutes)
from edge.domain.orders import Order, OrderLine
from edge.domain.release import StockSlot, release_order
from edge.service.pick_checks import site_today

TODAY = "2027-03-15"
SUBSTITUTE = LotPolicy(SAME_OR_EARLIER_EXPIRY)


@pytest.mark.parametrize("expiry, date", [("270131", "2027-01-31"), ("270200", "2027-02-28"),
                                          ("280200", "2028-02-29"), ("", "9999-12-31"), ("271301", ""),
                                          ("270231", ""), ("27013", "")])
def test_expiry_reads_gs1_yymmdd_with_day_00_as_the_end_of_the_month(expiry, date):
    assert expiry_date(expiry) == date


def test_stock_is_good_through_its_expiry_day_and_an_unreadable_date_is_never_good():
    assert not is_expired("270315", TODAY) and is_expired("270314", TODAY)
    assert not is_expired("270300", TODAY)  # end of March
    assert is_expired("279999", TODAY)


def test_the_sites_today_follows_its_time_zone():
    assert site_today("2027-03-14T23:30:00+00:00", "UTC") == "2027-03-14"
    assert site_today("2027-03-14T23:30:00+00:00", "Europe/Berlin") == "2027-03-15"
    assert site_today("2027-03-14T23:30:00+00:00", "Nowhere/Atlantis") == "2027-03-14"


def test_allocatable_drops_expired_lots_and_orders_first_expiry_first_then_walk():
    slots = [StockSlot("A-01-01", 10, 5, lot="L-LATE", expiry="271231"),
             StockSlot("C-01-01", 70, 5, lot="L-SOON", expiry="270401"),
             StockSlot("B-01-01", 40, 5, lot="L-GONE", expiry="270301"),
             StockSlot("D-01-01", 5, 5)]
    assert [s.lot for s in allocatable(slots, TODAY)] == ["L-SOON", "L-LATE", ""]


def test_release_takes_the_first_expiring_lot_across_locations_and_splits_per_lot():
    slots = {"SKU-EYE-DROPS": allocatable([StockSlot("A-01-01", 10, 4, lot="L2", expiry="270601"),
                                           StockSlot("C-01-01", 70, 3, lot="L1", expiry="270401"),
                                           StockSlot("C-01-01", 70, 9, lot="L3", expiry="270401"),
                                           StockSlot("B-01-01", 40, 50, lot="L0", expiry="270101")], TODAY)}
    numbers = count(1)
    order = Order("SO-1", "Pharmacy", 5, "2027-03-16", [OrderLine(1, "SKU-EYE-DROPS", 14)])
    tasks, _ = release_order(order, slots, lambda: f"T{next(numbers)}", "2027-03-15T08:00:00+00:00")
    assert sorted((t.location, t.lot, t.qty) for t in tasks) == [
        ("A-01-01", "L2", 2), ("C-01-01", "L1", 3), ("C-01-01", "L3", 9)]


ALLOCATED = LotAtLocation("L1", "270401", 5)


def take(scanned_lot, scanned_expiry="", found=None, policy=LotPolicy(), allocated=ALLOCATED):
    return lot_to_take("SKU-EYE-DROPS", "C-01-01", allocated, scanned_lot, scanned_expiry, found, policy, TODAY)


def test_the_allocated_lot_is_taken_and_a_lot_less_stock_takes_whatever_lot_was_scanned():
    assert take("L1", "270401") == ALLOCATED
    assert take("L9", allocated=LotAtLocation("", "", 7)).lot == ""


def test_another_lot_is_refused_unless_the_site_allows_substitution():
    with pytest.raises(WrongLot) as refused:
        take("L2", "270401", LotAtLocation("L2", "270401", 5))
    assert refused.value.message == "Wrong lot: you scanned lot L2. Pick lot L1 (expires 2027-04-01) from C-01-01."
    assert take("L2", "270401", LotAtLocation("L2", "270401", 5), SUBSTITUTE).lot == "L2"
    assert take("L0", "", LotAtLocation("L0", "270320", 5), SUBSTITUTE).expiry == "270320"


@pytest.mark.parametrize("found, why", [
    (None, "not recorded at C-01-01"),
    (LotAtLocation("L2", "270402", 5), "expires later (2027-04-02): first expiry goes first"),
])
def test_a_substitute_must_be_at_the_location_and_expire_no_later(found, why):
    with pytest.raises(WrongLot) as refused:
        take("L2", "", found, SUBSTITUTE)
    assert why in refused.value.message


def test_expired_stock_is_never_taken_whatever_was_scanned():
    with pytest.raises(LotExpired) as refused:
        take("L1", allocated=LotAtLocation("L1", "270301", 5))
    assert "expired 2027-03-01. Do not pick it" in refused.value.message
    with pytest.raises(LotExpired):
        take("L2", "", LotAtLocation("L2", "270310", 5), SUBSTITUTE)
    with pytest.raises(LotExpired):
        take("L9", "270101", allocated=LotAtLocation("", "", 7))  # the label says so


def test_a_label_whose_expiry_differs_from_the_lot_register_is_refused():
    with pytest.raises(LabelExpiryMismatch):
        take("L1", "270501")


def test_substitutes_for_the_handheld_follow_the_same_rule():
    held = [LotAtLocation("L1", "270401", 5), LotAtLocation("L2", "270401", 5), LotAtLocation("L3", "270501", 5),
            LotAtLocation("L4", "270310", 5)]
    assert substitutes(ALLOCATED, held, SUBSTITUTE, TODAY) == [{"lot": "L2", "expiry": "270401"}]
    assert substitutes(ALLOCATED, held, LotPolicy(), TODAY) == []


def test_a_substitute_with_no_expiry_on_record_never_replaces_a_dated_lot():
    with pytest.raises(WrongLot) as refused:
        take("L2", "", LotAtLocation("L2", "", 5), SUBSTITUTE)
    assert "which has no expiry on record: first expiry goes first" in refused.value.message
