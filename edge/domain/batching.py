"""Waves and pick batches: several orders picked in one walk, each into its own tote on a cart slot.

A wave is a set of released orders the lead sends to the floor together (chosen by a rule or by hand). It is cut
into batches of at most `cart_slots` orders, one order per slot. One picker claims a batch and walks its tasks in
location order across all its orders; each pick goes into the order's tote, bound to the slot on its first pick.
"""
import re
from dataclasses import dataclass, field

from protocols.barcode import ITEM, SSCC, BarcodeError, classify
from protocols.status import TASK_OPEN

from .batch_errors import BatchClosed, BatchNotDone, BatchTaken, BadTote, NotInBatch, ToteInUse, WrongTote
from .events import Event, OrderBatched
from .picking import PickTask

BATCH_OPEN, BATCH_PICKING, BATCH_CLOSED, BATCH_CANCELLED = "open", "picking", "closed", "cancelled"
BATCH_LIVE = (BATCH_OPEN, BATCH_PICKING)
STAGE_RELEASED, STAGE_PICKED, STAGE_CANCELLED = "released", "picked", "cancelled"
MAX_CART_SLOTS = 24
TOTE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")


@dataclass(frozen=True)
class WaveCandidate:
    """A released order nobody has started, which may join a wave."""

    order_id: str
    priority: int
    requested_ship_date: str


@dataclass(frozen=True)
class WaveRule:
    """Which candidates a wave takes: ship date on or before the cut-off, priority up to a level, at most N."""

    ship_by: str = ""       # the carrier cut-off as a requested ship date (YYYY-MM-DD); "" takes every date
    max_priority: int = 9   # 1 is the most urgent
    max_orders: int = 0     # 0 takes every order the rule matches

    def describe(self) -> str:
        parts = [f"ship by {self.ship_by}" if self.ship_by else "any ship date"]
        if self.max_priority < 9:
            parts.append("priority 1" if self.max_priority == 1 else f"priority 1-{self.max_priority}")
        if self.max_orders:
            parts.append(f"first {self.max_orders} orders")
        return "rule: " + ", ".join(parts)


def choose_orders(candidates: list[WaveCandidate], rule: WaveRule) -> list[WaveCandidate]:
    """Return the candidates the rule takes, most urgent first (priority, then ship date, then order)."""
    fit = [c for c in candidates if c.priority <= rule.max_priority
           and (not rule.ship_by or c.requested_ship_date <= rule.ship_by)]
    fit.sort(key=lambda c: (c.priority, c.requested_ship_date, c.order_id))
    return fit[:rule.max_orders] if rule.max_orders else fit


@dataclass(frozen=True)
class Wave:
    wave_id: str
    rule: str
    cart_slots: int
    released_by: str
    released_at: str


@dataclass
class BatchSlot:
    slot: int
    order_id: str
    tote: str = ""


@dataclass
class Batch:
    batch_id: str
    wave_id: str
    slots: list[BatchSlot]
    status: str = BATCH_OPEN
    picker: str | None = None
    device_id: str | None = None
    created_at: str = ""
    claimed_at: str = ""
    closed_at: str = ""
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @property
    def order_ids(self) -> list[str]:
        return [s.order_id for s in self.slots]

    def slot_for(self, order_id: str) -> BatchSlot:
        found = next((s for s in self.slots if s.order_id == order_id), None)
        if found is None:
            raise NotInBatch(order_id, self.batch_id)
        return found

    def released(self, actor: str) -> list[Event]:
        """Tell the centre which batch and slot each order goes to."""
        return [OrderBatched(s.order_id, self.wave_id, self.batch_id, STAGE_RELEASED, s.slot, "", actor)
                for s in self.slots]

    def claim(self, badge: str, device_id: str | None, tasks: list[PickTask], now: str) -> None:
        """Take the batch (or carry on with one's own): every unfinished task of its orders becomes the picker's."""
        if self.status not in BATCH_LIVE:
            raise BatchClosed(self.batch_id, self.status)
        if self.status == BATCH_PICKING and self.picker != badge:
            raise BatchTaken(self.batch_id, self.picker or "")
        for task in tasks:  # a task the lead handed to someone else stays theirs
            if not task.done and (task.status == TASK_OPEN or task.picker == badge):
                task.assign(badge, device_id)
        if self.status == BATCH_OPEN:
            self.status, self.claimed_at = BATCH_PICKING, now
        self.picker, self.device_id = badge, device_id

    def check_picker(self, badge: str) -> None:
        if self.status not in BATCH_LIVE:
            raise BatchClosed(self.batch_id, self.status)
        if self.status != BATCH_PICKING or self.picker != badge:
            raise BatchTaken(self.batch_id, self.picker or "")

    def put(self, badge: str, order_id: str, scanned_tote: str, used_elsewhere: str | None,
            not_totes: tuple[str, ...] = ()) -> BatchSlot:
        """Check the tote a pick goes into; the first pick of a slot binds the tote scanned to it.

        used_elsewhere names another live batch already using the tote; not_totes are barcodes that are
        plainly no tote (the item's and the location's), so a double scan of the item is not taken for one.
        """
        self.check_picker(badge)
        slot = self.slot_for(order_id)
        tote = scanned_tote.strip().upper()
        if tote in {code.strip().upper() for code in not_totes} or not _tote_label(tote):
            raise BadTote(scanned_tote.strip()[:40], slot.slot)
        if slot.tote:
            if tote != slot.tote:
                raise WrongTote(tote, slot.tote, slot.slot, order_id)
            return slot
        other = next((s for s in self.slots if s.tote == tote), None)
        if other is not None:
            raise WrongTote(tote, "", slot.slot, order_id, other.slot)
        if used_elsewhere:
            raise ToteInUse(tote, used_elsewhere)
        slot.tote = tote
        return slot

    def close(self, badge: str, tasks: list[PickTask], now: str) -> list[Event]:
        """Hand the totes to packing once every task of the batch is picked, short or cancelled."""
        self.check_picker(badge)
        left = [t for t in tasks if not t.done]
        if left:
            raise BatchNotDone(self.batch_id, len(left))
        self.status, self.closed_at = BATCH_CLOSED, now
        return [OrderBatched(s.order_id, self.wave_id, self.batch_id, STAGE_PICKED, s.slot, s.tote, badge)
                for s in self.slots]

    def cancel(self, tasks: list[PickTask], actor: str, now: str) -> list[Event]:
        """Stop the batch: its unfinished tasks go back to single picking; the picker's late ops are fenced."""
        if self.status not in BATCH_LIVE:
            raise BatchClosed(self.batch_id, self.status)
        for task in tasks:
            if not task.done:
                task.reassign(None)
        self.status, self.closed_at = BATCH_CANCELLED, now
        return [OrderBatched(s.order_id, self.wave_id, self.batch_id, STAGE_CANCELLED, s.slot, s.tote, actor)
                for s in self.slots]


def _tote_label(code: str) -> bool:
    """Say whether a scan can be a tote label: not a location, badge, GTIN or GS1 label, and of the tote pattern."""
    try:
        kind = classify(code).kind
    except BarcodeError:
        return False
    return kind in (ITEM, SSCC) and bool(TOTE_PATTERN.match(code))


def plan_batches(wave_id: str, order_ids: list[str], cart_slots: int, next_batch_id, now: str) -> list[Batch]:
    """Cut the wave's orders, in the order given, into batches of at most cart_slots orders."""
    return [Batch(next_batch_id(), wave_id, [BatchSlot(n, order_id) for n, order_id in
                                             enumerate(order_ids[start:start + cart_slots], start=1)],
                  created_at=now)
            for start in range(0, len(order_ids), cart_slots)]


def walk(batch: Batch, tasks: list[PickTask]) -> list[PickTask]:
    """Sort the batch's tasks into one path: by location pick sequence across all its orders, then by slot."""
    slot = {s.order_id: s.slot for s in batch.slots}
    return sorted(tasks, key=lambda t: (t.pick_seq, t.location, slot.get(t.order_id, 0), t.line_no, t.task_id))
