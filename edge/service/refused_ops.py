"""Keep the device ops refused because the world moved on while the handheld was offline, for the lead to see."""
from edge.domain.errors import DomainError

from .unit_of_work import RefusedOp, UnitOfWork

# Refusals that mean "the floor changed since the picker did this", not "the picker did it wrong": the picker
# already did the work on the device, so the lead needs to hear of it. Every other refusal changes nothing.
LOGGED_REFUSALS = frozenset({"lease_lost", "task_closed", "not_your_task", "order_closed",
                             "lot_expired", "batch_closed"})  # a lot that expired while the picker held it: the lead decides
# At the returns desk a refused parcel or item is set aside for the lead, so the lead hears of it whether the
# handheld was online or replaying: more than the order shipped, items it never had, orders not shipped here.
SET_ASIDE = {"return_items": frozenset({"over_return", "not_on_order", "unknown_item"}),
             "start_return": frozenset({"order_not_shipped", "unknown_order"})}


def log_refusal(uow: UnitOfWork, cmd, endpoint: str, err: DomainError) -> None:
    """Record a refused op in its own short transaction, once per op_id; other refusals are not kept."""
    if err.code not in LOGGED_REFUSALS and err.code not in SET_ASIDE.get(endpoint, ()):
        return
    request = {k: v for k, v in cmd.fingerprint().items() if k not in ("command", "op_id")}
    with uow:
        uow.refusals.add(RefusedOp(
            cmd.op_id, cmd.badge, cmd.device_id, endpoint, err.code, err.message, uow.now(),
            task_id=getattr(cmd, "task_id", ""), order_id=getattr(cmd, "order_id", ""),
            occurred_at=getattr(cmd, "scanned_at", "") or getattr(cmd, "counted_at", ""), request=request))
        uow.commit()
