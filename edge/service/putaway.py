"""Handler for putaway: scan the location to confirm; the goods move from the task's source (RECV or PACK)."""
from edge.domain.errors import DomainError
from edge.domain.events import StockChanged
from edge.domain.putaway import PUT_BACK, PUTAWAY_DONE, PutawayDone, Slot, UnknownLocationScan
from protocols.barcode import BarcodeError, classify

from .idempotency import idempotent
from .receiving import task_view
from .receiving_commands import ConfirmPutaway
from .unit_of_work import Origin, UnitOfWork


class UnknownPutawayTask(DomainError):
    code = "unknown_putaway_task"

    def __init__(self, task_id: str):
        super().__init__(f"No putaway task {task_id} at this site. Download your putaway list again.")


@idempotent()
def confirm_putaway(cmd: ConfirmPutaway, uow: UnitOfWork) -> dict:
    """Move the task's goods to the scanned location; the suggestion may be overridden with a reason."""
    task = uow.receiving.get_task(cmd.task_id)
    if task is None:
        raise UnknownPutawayTask(cmd.task_id)
    if task.status == PUTAWAY_DONE:
        raise PutawayDone(task.task_id, task.location)
    events = task.confirm(slot_for_scan(uow, cmd.location_barcode), cmd.reason.strip(), cmd.badge, uow.now())
    for event in events:
        if isinstance(event, StockChanged):
            uow.receiving.change_stock(event.location, event.sku, event.lot, event.qty_delta)
    uow.receiving.save_task(task)
    uow.emit(events, Origin(cmd.device_id, cmd.op_id, cmd.scanned_at))
    left = len(uow.receiving.open_tasks())
    done = "put back" if task.kind == PUT_BACK else "put away"
    return {"task": task_view(task, uow.locations.get, uow.items.get),
            "message": f"{task.qty} x {task.sku} {done} at {task.location}. {left} putaways left."}


def slot_for_scan(uow: UnitOfWork, raw: str) -> Slot:
    """Return the storage location a scanned label (or typed name) names; refuse anything else."""
    scanned = _scanned(raw)
    slot = next((s for s in uow.receiving.slots() if scanned in (s.barcode.upper(), s.location.upper())), None)
    if slot is None:
        raise UnknownLocationScan(scanned)
    return slot


def _scanned(raw: str) -> str:
    try:
        return classify(raw).value.upper()
    except BarcodeError as err:
        raise UnknownLocationScan(raw.strip()[:64] or "an empty scan") from err
