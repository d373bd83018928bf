"""Keep the device ops refused because the world moved on while the handheld was offline, for the lead to see."""
from edge.domain.errors import DomainError

from .unit_of_work import RefusedOp, UnitOfWork

# Refusals that mean "the floor changed since the picker did this", not "the picker did it wrong": the picker
# already did the work on the device, so the lead needs to hear of it. Every other refusal changes nothing.
LOGGED_REFUSALS = frozenset({"lease_lost", "task_closed", "not_your_task", "order_closed", "batch_closed"})


def log_refusal(uow: UnitOfWork, cmd, endpoint: str, err: DomainError) -> None:
    """Record a refused op in its own short transaction, once per op_id; other refusals are not kept."""
    if err.code not in LOGGED_REFUSALS:
        return
    request = {k: v for k, v in cmd.fingerprint().items() if k not in ("command", "op_id")}
    with uow:
        uow.refusals.add(RefusedOp(
            cmd.op_id, cmd.badge, cmd.device_id, endpoint, err.code, err.message, uow.now(),
            task_id=getattr(cmd, "task_id", ""), order_id=getattr(cmd, "order_id", ""),
            occurred_at=getattr(cmd, "scanned_at", "") or getattr(cmd, "counted_at", ""), request=request))
        uow.commit()
