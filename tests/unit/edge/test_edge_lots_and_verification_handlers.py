"""Picking lots FEFO and verification profiles through the message bus with an in-memory unit of work (issue 9)."""
import pytest

from edge.domain.catalogue import Item, Location, Picker, hash_pin
from edge.domain.errors import DomainError
from edge.domain.events import StockChanged, TaskPicked
from edge.service.commands import AssignNextTask, ConfirmPick, ReleaseOrder, ScanLocation
from edge.service.messagebus import MessageBus
from edge.service.verification_commands import (DeleteVerificationProfile, SetItemClass, SetLotPolicy,
                                                SetVerificationProfile)
from fake_edge_uow import FakeUnitOfWork

SAM = "BADGE-0001"
DROPS = {"sku": "SKU-EYE-DROPS", "description": "Eye drops 10 ml", "gtins": ["05012345678900"],
         "tracking": "lot_expiry"}
KETTLE = {"sku": "SKU-KETTLE", "description": "Kettle", "gtins": [], "tracking": "none"}
NOW = "2027-03-15T09:00:00+00:00"
ops = iter(f"00000000-0000-4000-8000-{n:012d}" for n in range(1, 1000))


def a_site() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(
        locations=[Location("A-01-01", "LOC-A-01-01", "A", 10), Location("C-01-01", "LOC-C-01-01", "C", 70),
                   Location("F-01-01", "LOC-F-01-01", "FRIDGE", 90)],
        pickers=[Picker(SAM, "Sam Picker", hash_pin("1234", iterations=1000))],
        items=[Item("SKU-EYE-DROPS", "Eye drops 10 ml", ["05012345678900"], "lot_expiry")],
        stock={("A-01-01", "SKU-KETTLE"): 10}, now=NOW)
    uow.quants.lotted.update({("A-01-01", "SKU-EYE-DROPS", "L-LATE"): 10, ("C-01-01", "SKU-EYE-DROPS", "L-SOON"): 2,
                              ("C-01-01", "SKU-EYE-DROPS", "L-TWIN"): 4, ("F-01-01", "SKU-EYE-DROPS", "L-OLD"): 50})
    uow.expiries.update({("SKU-EYE-DROPS", "L-LATE"): "271231", ("SKU-EYE-DROPS", "L-SOON"): "270401",
                         ("SKU-EYE-DROPS", "L-TWIN"): "270401", ("SKU-EYE-DROPS", "L-OLD"): "270301"})
    with uow:
        uow.commit()  # what a rollback returns to
    return uow


@pytest.fixture
def uow():
    return a_site()


@pytest.fixture
def bus(uow):
    return MessageBus(lambda: uow)


def release(bus, qty, item=DROPS, order_id="SO-1"):
    bus.handle(ReleaseOrder(order_id, "Pharmacy", 5, "2027-03-16",
                            [{"line_no": 1, "sku": item["sku"], "qty": qty, "item": item}]))


def at_location(bus) -> dict:
    task = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]
    if task["next_step"] == "scan_location":
        bus.handle(ScanLocation(task["task_id"], task["location_barcode"], SAM, "HH-01", next(ops)))
    return task


def pick(bus, task, qty, lot="", expiry="", barcode="05012345678900", **more):
    return bus.handle(ConfirmPick(task["task_id"], barcode, qty, SAM, "HH-01", next(ops), lot=lot, expiry=expiry,
                                  **more))


def test_release_allocates_first_expiry_first_never_expired_and_splits_per_lot(bus, uow):
    release(bus, 7)
    tasks = sorted((t.location, t.lot, t.qty) for t in uow.tasks.rows.values())
    assert tasks == [("A-01-01", "L-LATE", 1), ("C-01-01", "L-SOON", 2), ("C-01-01", "L-TWIN", 4)]


def test_the_task_tells_the_handheld_its_lot_and_scans_and_the_pick_books_that_lot(bus, uow):
    release(bus, 2)
    task = at_location(bus)
    assert (task["lot"], task["lot_expiry"], task["requires"]) == ("L-SOON", "270401",
                                                                  ["location", "item", "lot", "expiry"])
    answer = pick(bus, task, 2, "L-SOON", "270401")
    assert answer.status == 200
    assert StockChanged("C-01-01", "SKU-EYE-DROPS", -2, "pick", task["task_id"], "L-SOON") in uow.events
    assert uow.stock.on_hand("C-01-01", "SKU-EYE-DROPS", "L-SOON") == 0
    picked = next(e for e in uow.events if isinstance(e, TaskPicked))
    assert (picked.lot, picked.expiry) == ("L-SOON", "270401")


def test_another_lot_is_refused_and_changes_nothing_unless_the_site_allows_substitution(bus, uow):
    release(bus, 2)
    task = at_location(bus)
    with pytest.raises(DomainError) as refused:
        pick(bus, task, 2, "L-TWIN", "270401")
    assert refused.value.code == "wrong_lot"
    assert uow.quants.lotted[("C-01-01", "SKU-EYE-DROPS", "L-TWIN")] == 4
    bus.handle(SetLotPolicy("same_or_earlier_expiry", "Europe/Berlin", "maria"))
    assert pick(bus, task, 2, "L-TWIN", "270401").status == 200
    assert uow.quants.lotted[("C-01-01", "SKU-EYE-DROPS", "L-TWIN")] == 2
    assert uow.quants.lotted[("C-01-01", "SKU-EYE-DROPS", "L-SOON")] == 2
    assert ("maria", "lot_policy.set") == uow.audit.rows[-1][:2]


def test_a_lot_that_expired_since_release_is_refused_at_confirm(bus, uow):
    release(bus, 2)
    task = at_location(bus)
    uow._now = "2027-04-02T09:00:00+00:00"
    with pytest.raises(DomainError) as refused:
        pick(bus, task, 2, "L-SOON", "270401")
    assert refused.value.code == "lot_expired" and "Do not pick it" in refused.value.message
    assert uow.quants.lotted[("C-01-01", "SKU-EYE-DROPS", "L-SOON")] == 2


def test_an_item_class_profile_beats_the_zone_which_beats_the_site_default(bus, uow):
    bus.handle(SetVerificationProfile("site", "", ("location", "item", "quantity"), "maria"))
    bus.handle(SetVerificationProfile("zone", "A", ("item",), "maria"))
    release(bus, 1, KETTLE)
    task = bus.handle(AssignNextTask(SAM, "HH-01"))["task"]
    assert task["requires"] == ["item"] and task["next_step"] == "scan_item"
    assert pick(bus, task, 1, barcode="SKU-KETTLE").status == 200  # no location scan needed in zone A
    uow.items.save(Item("SKU-KETTLE", "Kettle"))
    bus.handle(SetItemClass("SKU-KETTLE", "fragile", "maria"))
    bus.handle(SetVerificationProfile("item_class", "fragile", ("location", "item", "serial"), "maria"))
    release(bus, 1, KETTLE, "SO-2")
    assert bus.handle(AssignNextTask(SAM, "HH-01"))["task"]["requires"] == ["location", "item", "serial"]
    bus.handle(DeleteVerificationProfile("item_class", "fragile", "maria"))
    assert bus.handle(AssignNextTask(SAM, "HH-01"))["task"]["requires"] == ["item"]
    assert [row[1] for row in uow.audit.rows] == ["verification_profile.set", "verification_profile.set",
                                                 "item_class.set", "verification_profile.set",
                                                 "verification_profile.deleted"]


def test_a_missing_scan_the_profile_needs_is_refused_with_what_to_do_and_nothing_changes(bus, uow):
    bus.handle(SetVerificationProfile("site", "", ("location", "item", "quantity"), "maria"))
    release(bus, 2, KETTLE)
    task = at_location(bus)
    with pytest.raises(DomainError) as refused:
        pick(bus, task, 1, barcode="SKU-KETTLE")
    assert refused.value.code == "scan_required"
    assert refused.value.message == "This pick needs the quantity confirmed: type how many you took, then confirm."
    with pytest.raises(DomainError) as no_item:
        pick(bus, task, 1, barcode="", qty_confirmed=True)
    assert no_item.value.code == "scan_required" and "item barcode" in no_item.value.message
    assert uow.stock.on_hand("A-01-01", "SKU-KETTLE") == 10
    assert pick(bus, task, 1, barcode="SKU-KETTLE", qty_confirmed=True).status == 200
    assert uow.stock.on_hand("A-01-01", "SKU-KETTLE") == 9


@pytest.mark.parametrize("command, code", [
    (SetVerificationProfile("zone", "", ("item",)), "bad_profile"),
    (SetVerificationProfile("aisle", "A", ("item",)), "bad_profile"),
    (SetVerificationProfile("site", "", ("item", "weight")), "bad_profile"),
    (SetLotPolicy("any_lot", "UTC"), "bad_profile"),
    (SetLotPolicy("none", "Mars/Olympus"), "bad_lot_policy"),
    (DeleteVerificationProfile("zone", "Z"), "unknown_profile"),
    (SetItemClass("SKU-NOPE", "fragile"), "bad_profile"),
])
def test_bad_settings_are_refused_and_change_nothing(bus, uow, command, code):
    with pytest.raises(DomainError) as refused:
        bus.handle(command)
    assert refused.value.code == code
    assert uow.verification.rows == {} and uow.audit.rows == []


def test_a_pick_without_a_confirmed_quantity_replays_under_the_fingerprint_it_had_before_the_field():
    plain = ConfirmPick("T1", "SKU-KETTLE", 1, SAM, "HH-01", "op")
    assert "qty_confirmed" not in plain.fingerprint()
    assert ConfirmPick("T1", "SKU-KETTLE", 1, SAM, "HH-01", "op", qty_confirmed=True).fingerprint()["qty_confirmed"]
