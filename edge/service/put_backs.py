"""Open put-back tasks when a cancel reaches the site after goods were picked (and not shipped)."""
from edge.domain.picking import PickTask
from edge.domain.put_backs import put_backs_for
from edge.domain.putaway import PutawayTask

from .unit_of_work import UnitOfWork


def open_put_backs(uow: UnitOfWork, order_id: str, tasks: list[PickTask]) -> list[PutawayTask]:
    """Add a put-back task for every pick task of the cancelled order that took goods to the pack area."""
    def expiry_of(task: PickTask) -> str:
        held = uow.lots.at_location(task.location, task.sku, task.lot) if task.lot else None
        return held.expiry if held else ""

    put_backs = put_backs_for(order_id, tasks, uow.receiving.next_task_id, expiry_of) if any(
        t.picked_qty for t in tasks) else []
    for task in put_backs:
        uow.receiving.add_task(task)
    return put_backs
