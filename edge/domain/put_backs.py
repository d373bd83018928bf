"""Put-backs: goods picked for an order that was cancelled before it shipped go back from the pack area.

Each pick task that took goods gives one put-back task, suggesting the location the goods came from; another
location needs a reason, like any putaway, and the FEFO and capacity rules hold whatever the reason.
"""
from typing import Callable

from .catalogue import VIRTUAL_PACK
from .picking import PickTask
from .putaway import PUT_BACK, PutawayTask


def put_backs_for(order_id: str, tasks: list[PickTask], next_id,
                  expiry_of: Callable[[PickTask], str] = lambda task: "") -> list[PutawayTask]:
    """Return one put-back per task with picked units: from PACK back to the task's location, in the task's lot.

    The lot and its expiry go with the goods, so the source location (still holding that lot) takes them back
    under the FEFO mixing rule, and the site's per-lot stock comes out as it was before the pick.
    """
    return [PutawayTask(next_id(), order_id, task.sku, task.lot, expiry_of(task), task.picked_qty, task.location,
                        from_location=VIRTUAL_PACK, kind=PUT_BACK)
            for task in sorted(tasks, key=lambda t: (t.line_no, t.pick_seq, t.task_id)) if task.picked_qty > 0]
