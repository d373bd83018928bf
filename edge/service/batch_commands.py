"""Commands of waves and batch picking: the lead releases or stops, the picker claims, puts and closes."""
from dataclasses import dataclass

from .commands import Command


@dataclass(frozen=True)
class ReleaseWave(Command):
    """Release a wave: the orders listed, or those the rule takes, cut into batches of cart_slots orders."""

    cart_slots: int
    order_ids: tuple[str, ...] = ()
    ship_by: str = ""
    max_priority: int = 9
    max_orders: int = 0
    actor: str = ""
    reason: str = ""


@dataclass(frozen=True)
class CancelBatch(Command):
    """Stop a batch: its unfinished picks go back to single picking."""

    batch_id: str
    actor: str
    reason: str


@dataclass(frozen=True)
class TakeNextBatch(Command):
    badge: str
    device_id: str


@dataclass(frozen=True)
class ConfirmBatchPick(Command):
    """Pick for one order of the batch and put it into the order's tote (scanned)."""

    batch_id: str
    task_id: str
    barcode: str
    qty: int
    tote: str
    badge: str
    device_id: str
    op_id: str
    scanned_at: str = ""
    lease_epoch: int | None = None
    lot: str = ""
    serial: str = ""
    expiry: str = ""


@dataclass(frozen=True)
class CloseBatch(Command):
    batch_id: str
    badge: str
    device_id: str
    op_id: str
