"""Route each command to its handler with a fresh unit of work."""
from typing import Callable

from . import commands, enrolment, exceptions, lead_commands, orders, picking, putaway, receiving, site_setup
from . import receiving_commands as receiving_cmds
from .unit_of_work import UnitOfWork
from . import count_commands, counts, replenishment
from . import return_commands, returns
from . import expired_stock, verification, verification_commands
from . import batch_commands, batching

HANDLERS: dict[type, Callable] = {
    commands.SignIn: picking.sign_in,
    commands.AssignNextTask: picking.assign_next_task,
    commands.ScanLocation: picking.scan_location,
    commands.ConfirmPick: picking.confirm_pick,
    commands.ReportShortPick: picking.report_short_pick,
    commands.ReleaseOrder: orders.release_order,
    commands.CancelOrder: orders.cancel_order,
    commands.UpsertItem: orders.upsert_item,
    commands.CloseCarton: orders.close_carton,
    commands.ConfirmShipment: orders.confirm_shipment,
    commands.SeedSite: site_setup.seed_site,
    commands.LeaseTasks: picking.lease_tasks,
    commands.PostponeTask: picking.postpone_task,
    commands.CreateEnrolmentCode: enrolment.create_enrolment_code,
    commands.EnrolDevice: enrolment.enrol_device,
    commands.RevokeDevice: enrolment.revoke_device,
    lead_commands.ReassignTask: exceptions.reassign_task,
    lead_commands.ReleaseShortTask: exceptions.release_short_task,
    lead_commands.CancelOrderAtSite: exceptions.cancel_order_at_site,
    lead_commands.ResolveException: exceptions.resolve_exception,
    receiving_cmds.RegisterAsn: receiving.register_asn,
    receiving_cmds.StartBlindReceipt: receiving.start_blind_receipt,
    receiving_cmds.ReceivePallet: receiving.receive_pallet,
    receiving_cmds.ReceiveItems: receiving.receive_items,
    receiving_cmds.CloseReceipt: receiving.close_receipt,
    receiving_cmds.ConfirmPutaway: putaway.confirm_putaway,
}


# The handheld's hot path: short handlers that touch only their unit of work, so they may share a commit.
GROUP_COMMITTED = frozenset({commands.AssignNextTask, commands.ScanLocation, commands.ConfirmPick,
                             commands.ReportShortPick, commands.PostponeTask})
GroupRunner = Callable[[Callable, commands.Command], object]


def prepared_handler(cmd: commands.Command) -> Callable:
    """Return the command's handler, once it has worked out what it can from the command alone (no transaction)."""
    handler = HANDLERS[type(cmd)]
    prepare = getattr(handler, "prepare", None)
    if prepare is not None:
        prepare(cmd)
    return handler


class MessageBus:
    """Handle commands one at a time, each in its own unit of work.

    With `run_grouped(handler, cmd)` the GROUP_COMMITTED commands go through it instead (group commit).
    """

    def __init__(self, uow_factory: Callable[[], UnitOfWork], run_grouped: GroupRunner | None = None):
        self.uow_factory, self.run_grouped = uow_factory, run_grouped

    def handle(self, cmd: commands.Command):
        handler = prepared_handler(cmd)
        if self.run_grouped is not None and type(cmd) in GROUP_COMMITTED:
            return self.run_grouped(handler, cmd)
        return handler(cmd, self.uow_factory())


HANDLERS.update({
    count_commands.CreateCounts: counts.create_counts,
    count_commands.TakeNextCount: counts.take_next_count,
    count_commands.SubmitCount: counts.submit_count,
    count_commands.DecideCount: counts.decide_count,
    count_commands.CancelCount: counts.cancel_count,
    count_commands.SetCountSettings: counts.set_count_settings,
    count_commands.SetPickFaces: replenishment.set_pick_faces,
    count_commands.TakeNextReplenishment: replenishment.take_next_replenishment,
    count_commands.ConfirmReplenishment: replenishment.confirm_replenishment,
})
HANDLERS.update({
    return_commands.RegisterReturn: returns.register_return,
    return_commands.StartReturn: returns.start_return,
    return_commands.ReturnItems: returns.return_items,
    return_commands.CloseReturn: returns.close_return,
})
HANDLERS.update({
    verification_commands.SetVerificationProfile: verification.set_verification_profile,
    verification_commands.DeleteVerificationProfile: verification.delete_verification_profile,
    verification_commands.SetItemClass: verification.set_item_class,
    verification_commands.SetLotPolicy: verification.set_lot_policy,
    verification_commands.QuarantineExpired: expired_stock.quarantine_expired,
    batch_commands.ReleaseWave: batching.release_wave,
    batch_commands.CancelBatch: batching.cancel_batch,
    batch_commands.TakeNextBatch: batching.take_next_batch,
    batch_commands.ConfirmBatchPick: batching.confirm_batch_pick,
    batch_commands.CloseBatch: batching.close_batch,
})
