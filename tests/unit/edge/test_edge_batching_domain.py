"""Waves and batches in the pure domain: rule choice, cutting into carts, walk order, put-to-tote, close."""
import pytest

from edge.domain.batch_errors import BadTote, BatchNotDone, BatchTaken, ToteInUse, WrongTote
from edge.domain.batching import (BATCH_CANCELLED, BATCH_CLOSED, BATCH_PICKING, Batch, BatchSlot, WaveCandidate,
                                  WaveRule, choose_orders, plan_batches, walk)
from edge.domain.events import OrderBatched
from edge.domain.picking import PickTask
from protocols.status import TASK_ASSIGNED, TASK_OPEN, TASK_PICKED

SAM, ALEX = "BADGE-0001", "BADGE-0002"


def candidates():
    return [WaveCandidate("SO-3", 5, "2025-03-05"), WaveCandidate("SO-1", 1, "2025-03-07"),
            WaveCandidate("SO-2", 5, "2025-03-04"), WaveCandidate("SO-4", 3, "2025-03-09")]


def test_the_cut_off_rule_takes_orders_due_by_the_date_most_urgent_first():
    chosen = choose_orders(candidates(), WaveRule(ship_by="2025-03-07"))
    assert [c.order_id for c in chosen] == ["SO-1", "SO-2", "SO-3"]


def test_the_priority_rule_and_the_cap_narrow_the_wave():
    assert [c.order_id for c in choose_orders(candidates(), WaveRule(max_priority=3))] == ["SO-1", "SO-4"]
    assert [c.order_id for c in choose_orders(candidates(), WaveRule(max_orders=2))] == ["SO-1", "SO-4"]
    assert WaveRule("2025-03-07", 3, 2).describe() == "rule: ship by 2025-03-07, priority 1-3, first 2 orders"


def test_a_wave_is_cut_into_batches_of_one_cart_each():
    ids = iter(["B1", "B2", "B3"])
    batches = plan_batches("W1", ["SO-1", "SO-2", "SO-3", "SO-4", "SO-5"], 2, lambda: next(ids), "now")
    assert [(b.batch_id, [(s.slot, s.order_id) for s in b.slots]) for b in batches] == [
        ("B1", [(1, "SO-1"), (2, "SO-2")]), ("B2", [(1, "SO-3"), (2, "SO-4")]), ("B3", [(1, "SO-5")])]


def a_batch() -> tuple[Batch, list[PickTask]]:
    batch = Batch("B1", "W1", [BatchSlot(1, "SO-1"), BatchSlot(2, "SO-2")])
    tasks = [PickTask("T1", "SO-1", 1, "SKU-KETTLE", "B-01-01", 1, pick_seq=40),
             PickTask("T2", "SO-1", 2, "SKU-BLUE-MUG", "A-01-01", 2, pick_seq=10),
             PickTask("T3", "SO-2", 1, "SKU-BLUE-MUG", "A-01-01", 1, pick_seq=10),
             PickTask("T4", "SO-2", 2, "SKU-TEAPOT", "A-02-01", 1, pick_seq=30)]
    return batch, tasks


def test_the_walk_follows_the_locations_across_all_orders_of_the_batch():
    batch, tasks = a_batch()
    assert [t.task_id for t in walk(batch, tasks)] == ["T2", "T3", "T4", "T1"]


def test_claiming_gives_every_open_task_to_the_picker_and_keeps_others_tasks_theirs():
    batch, tasks = a_batch()
    tasks[3].assign(ALEX, "HH-02")  # the lead handed this one to Alex
    batch.claim(SAM, "HH-01", tasks, "09:00")
    assert batch.status == BATCH_PICKING and batch.picker == SAM
    assert [(t.status, t.picker) for t in tasks] == [(TASK_ASSIGNED, SAM)] * 3 + [(TASK_ASSIGNED, ALEX)]
    with pytest.raises(BatchTaken):
        batch.claim(ALEX, "HH-02", tasks, "09:01")


def test_the_first_pick_of_a_slot_binds_its_tote_and_later_picks_must_match():
    batch, tasks = a_batch()
    batch.claim(SAM, "HH-01", tasks, "09:00")
    assert batch.put(SAM, "SO-1", " tote-07 ", None).tote == "TOTE-07"
    assert batch.put(SAM, "SO-1", "TOTE-07", None).slot == 1
    with pytest.raises(WrongTote, match="goes in tote TOTE-07"):
        batch.put(SAM, "SO-1", "TOTE-08", None)
    with pytest.raises(WrongTote, match="is in slot 1"):
        batch.put(SAM, "SO-2", "TOTE-07", None)
    with pytest.raises(ToteInUse):
        batch.put(SAM, "SO-2", "TOTE-09", "B7")
    for not_a_tote in ("SKU-BLUE-MUG", "LOC-B-01-01", "BADGE-0002", "05012345678931", "T1", "TOTE 9"):
        with pytest.raises(BadTote):
            batch.put(SAM, "SO-2", not_a_tote, None, ("SKU-BLUE-MUG", "05012345678900"))
    assert batch.slots[1].tote == ""


def test_only_the_batch_picker_may_put_and_close():
    batch, tasks = a_batch()
    batch.claim(SAM, "HH-01", tasks, "09:00")
    with pytest.raises(BatchTaken):
        batch.put(ALEX, "SO-1", "TOTE-01", None)
    with pytest.raises(BatchTaken):
        batch.close(ALEX, tasks, "10:00")


def test_closing_needs_every_task_done_and_tells_the_centre_each_tote():
    batch, tasks = a_batch()
    batch.claim(SAM, "HH-01", tasks, "09:00")
    batch.put(SAM, "SO-1", "TOTE-01", None)
    with pytest.raises(BatchNotDone, match="4 pick"):
        batch.close(SAM, tasks, "10:00")
    for task in tasks:
        task.status = TASK_PICKED
    events = batch.close(SAM, tasks, "10:00")
    assert batch.status == BATCH_CLOSED
    assert events == [OrderBatched("SO-1", "W1", "B1", "picked", 1, "TOTE-01", SAM),
                      OrderBatched("SO-2", "W1", "B1", "picked", 2, "", SAM)]


def test_a_stopped_batch_gives_its_unfinished_tasks_back_with_a_new_lease():
    batch, tasks = a_batch()
    batch.claim(SAM, "HH-01", tasks, "09:00")
    tasks[0].status = TASK_PICKED
    epochs = [t.lease_epoch for t in tasks]
    batch.cancel(tasks, "maria", "10:00")
    assert batch.status == BATCH_CANCELLED
    assert [t.status for t in tasks] == [TASK_PICKED, TASK_OPEN, TASK_OPEN, TASK_OPEN]
    assert [t.lease_epoch - e for t, e in zip(tasks, epochs)] == [0, 1, 1, 1]
