"""A tracked item's pick must carry what its GS1 label says; the lot travels on task.picked."""
import pytest

from edge.domain.catalogue import Item, Traced
from edge.domain.errors import OneSerialPerPick, TrackingRequired
from edge.domain.events import TaskPicked

from test_edge_picking_domain import at_location

DROPS = Item("SKU-BLUE-MUG", "Blue mug, lot tracked", ["05012345678900"], "lot_expiry")


def test_item_says_what_a_pick_still_misses():
    assert DROPS.missing(Traced()) == ["lot", "expiry"]
    assert DROPS.missing(Traced(lot="L1")) == ["expiry"]
    assert Item("SKU-KETTLE").missing(Traced()) == []


def test_a_pick_without_the_lot_changes_nothing_and_says_what_to_scan():
    task = at_location()
    with pytest.raises(TrackingRequired) as refused:
        task.pick("BADGE-0001", "05012345678900", DROPS, 1, on_hand=5)
    assert "scan the GS1 label with the lot and expiry" in refused.value.message
    assert task.picked_qty == 0


def test_the_lot_and_expiry_are_on_the_task_picked_event():
    events = at_location().pick("BADGE-0001", "05012345678900", DROPS, 2, 5, Traced("L2403", "", "270131"))
    [picked] = [e for e in events if isinstance(e, TaskPicked)]
    assert picked.data()["lot"] == "L2403" and picked.data()["expiry"] == "270131"
    assert "serial" not in picked.data()


def test_serial_numbered_items_are_picked_one_at_a_time():
    serial = Item("SKU-BLUE-MUG", "", [], "serial")
    with pytest.raises(OneSerialPerPick):
        at_location().pick("BADGE-0001", "SKU-BLUE-MUG", serial, 2, 5, Traced(serial="SN-9"))
