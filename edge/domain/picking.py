"""A pick task: one sku, one location, one quantity, worked by one picker at a time."""
from dataclasses import dataclass

from protocols.status import (TASK_ASSIGNED, TASK_AT_LOCATION, TASK_CANCELLED, TASK_DONE, TASK_OPEN, TASK_PICKED,
                              TASK_SHORT)

from .barcodes import matches_item, matches_location
from .catalogue import VIRTUAL_PACK, Item, Location, Traced
from .errors import (LeaseLost, NotEnoughStock, NotYourTask, ScanLocationFirst, TaskClosed, TooMany,
                     OneSerialPerPick, TrackingRequired, WrongItem, WrongLocation)
from .events import Event, ScanRejected, StockChanged, TaskPicked, TaskShorted

SYSTEM_PICKER = "system"
UNLOCATED = "UNLOCATED"
"""Location of a task released for a sku that no location holds; the task is short from the start."""


@dataclass
class PickTask:
    task_id: str
    order_id: str
    line_no: int
    sku: str
    location: str
    qty: int
    pick_seq: int = 0
    picked_qty: int = 0
    status: str = TASK_OPEN
    picker: str | None = None
    device_id: str | None = None
    short_reason: str = ""
    lease_epoch: int = 0
    lease_expires_at: str = ""
    postponed_by: str = ""
    lot: str = ""  # the lot allocated (FEFO); "" for stock booked without a lot

    @property
    def remaining(self) -> int:
        return self.qty - self.picked_qty

    @property
    def done(self) -> bool:
        return self.status in TASK_DONE

    @property
    def next_step(self) -> str:
        if self.done:
            return "done"
        return "scan_item" if self.status == TASK_AT_LOCATION else "scan_location"

    def assign(self, badge: str, device_id: str | None) -> None:
        """Hand an open task to a picker; a picker's own unfinished task stays theirs."""
        if self.done:
            raise TaskClosed(self.task_id, self.status)
        if self.status != TASK_OPEN and self.picker != badge:
            raise NotYourTask(self.task_id)
        if self.status == TASK_OPEN:
            self.status = TASK_ASSIGNED
            self.lease_epoch += 1
        self.picker, self.device_id = badge, device_id

    def lease(self, badge: str, device_id: str | None, now: str, expires_at: str) -> None:
        """Lease the task to a picker's device until expires_at; take it over if another picker's lease ran out.

        Each change of holder starts a new lease_epoch, so ops sent under an older one can be fenced off.
        """
        if self.done:
            raise TaskClosed(self.task_id, self.status)
        mine = self.status != TASK_OPEN and self.picker == badge
        if not mine:
            if self.status != TASK_OPEN and not self.lease_expired(now):
                raise NotYourTask(self.task_id)
            self.status, self.lease_epoch = TASK_ASSIGNED, self.lease_epoch + 1
        self.picker, self.device_id, self.lease_expires_at = badge, device_id, expires_at

    def lease_expired(self, now: str) -> bool:
        return bool(self.lease_expires_at) and now >= self.lease_expires_at

    def check_lease(self, lease_epoch: int | None) -> None:
        """Refuse an op sent under a lease that has since passed to someone else (fencing)."""
        if lease_epoch is not None and lease_epoch != self.lease_epoch:
            raise LeaseLost(self.task_id)

    def postpone(self, badge: str) -> None:
        """Give the task back to the pool for someone else (or later); late ops of this lease are fenced."""
        self.check_worker(badge)
        self.status, self.picker, self.device_id = TASK_OPEN, None, None
        self.lease_epoch, self.lease_expires_at, self.postponed_by = self.lease_epoch + 1, "", badge

    def reassign(self, badge: str | None) -> None:
        """Hand the task to another picker, or back to the pool with None; the old holder's late ops are fenced."""
        if self.done:
            raise TaskClosed(self.task_id, self.status)
        # Whoever takes it over starts at the location again: the new picker has not been there.
        self.status = TASK_ASSIGNED if badge else TASK_OPEN
        self.picker, self.device_id, self.lease_expires_at = badge, None, ""
        self.lease_epoch += 1

    def close_for_rerelease(self, new_task_id: str, moved: int) -> None:
        """Move `moved` of a short task's missing quantity to a new task; closed in full, it counts as picked."""
        if self.status != TASK_SHORT:
            raise TaskClosed(self.task_id, self.status)
        self.qty -= min(moved, self.remaining)
        if self.remaining == 0:
            self.status = TASK_PICKED if self.picked_qty else TASK_CANCELLED
        self.short_reason = f"{self.short_reason} ({moved} re-released as {new_task_id})"[:256]

    def check_worker(self, badge: str) -> None:
        """Refuse anyone but the picker the task is assigned to, and any work on a finished task."""
        if self.status == TASK_OPEN or self.picker != badge:
            raise NotYourTask(self.task_id)
        if self.done:
            raise TaskClosed(self.task_id, self.status)

    def scan_location(self, badge: str, scanned: str, location: Location) -> None:
        """Confirm the picker stands at the task's location; raise WrongLocation otherwise."""
        self.check_worker(badge)
        if not matches_location(scanned, location.location, location.barcode):
            raise WrongLocation(scanned.strip(), location.location)
        self.status = TASK_AT_LOCATION

    def rejected_scan(self, badge: str, step: str, err: WrongLocation | WrongItem) -> ScanRejected:
        """Describe a refused scan as the event the centre counts."""
        return ScanRejected(self.task_id, step, err.expected[:128], err.scanned[:128], badge)

    def pick(self, badge: str, scanned: str, item: Item, qty: int, on_hand: int,
             traced: Traced = Traced(), stock_lot: str | None = None) -> list[Event]:
        """Take qty of the item from the location to the pack area; a tracked item needs its lot/serial/expiry.

        stock_lot is the lot whose stock the pick takes (edge.domain.lots.lot_to_take); None: the task's own lot.
        """
        self.check_worker(badge)
        if self.status != TASK_AT_LOCATION:
            raise ScanLocationFirst(self.location)
        if not matches_item(scanned, item.sku, item.gtins):
            raise WrongItem(scanned.strip(), self.sku, self.location)
        missing = item.missing(traced)
        if missing:
            raise TrackingRequired(item.sku, missing)
        if item.tracking == "serial" and qty != 1:
            raise OneSerialPerPick(item.sku)
        return self._take(badge, qty, on_hand, traced if item.tracking != "none" else Traced(), stock_lot)

    def report_short(self, badge: str, qty_found: int, reason: str, on_hand: int) -> list[Event]:
        """Pick what was found, then close the task short by the rest."""
        self.check_worker(badge)
        events = self._take(badge, qty_found, on_hand) if qty_found else []
        if self.done:
            return events  # what was found covered the task after all
        events.append(TaskShorted(self.task_id, self.order_id, self.line_no, self.sku, self.location,
                                  self.remaining, reason, badge))
        self.status, self.short_reason = TASK_SHORT, reason
        return events

    def short_at_release(self, reason: str) -> TaskShorted:
        """Close a task no location can fill, before anybody walks to it."""
        self.status, self.short_reason = TASK_SHORT, reason
        return TaskShorted(self.task_id, self.order_id, self.line_no, self.sku, self.location, self.qty,
                           reason, SYSTEM_PICKER)

    def cancel(self) -> bool:
        """Cancel the task unless it is finished; say whether it changed."""
        if self.done:
            return False
        self.status = TASK_CANCELLED
        return True

    def _take(self, badge: str, qty: int, on_hand: int, traced: Traced = Traced(),
              stock_lot: str | None = None) -> list[Event]:
        if qty < 1 or qty > self.remaining:
            raise TooMany(self.remaining)
        if qty > on_hand:
            raise NotEnoughStock(on_hand, self.sku, self.location)
        self.picked_qty += qty
        if self.picked_qty == self.qty:
            self.status = TASK_PICKED
        return [
            # The lot leaves its location; at the pack area stock is kept per item only (shipping books it out so).
            StockChanged(self.location, self.sku, -qty, "pick", self.task_id,
                         self.lot if stock_lot is None else stock_lot),
            StockChanged(VIRTUAL_PACK, self.sku, qty, "pick", self.task_id),
            TaskPicked(self.task_id, self.order_id, self.line_no, self.sku, self.location, qty, badge,
                       traced.lot, traced.serial, traced.expiry),
        ]

