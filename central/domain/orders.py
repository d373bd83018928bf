"""The customer order aggregate: placed at the centre, allocated to one site, reported on by it."""
from dataclasses import dataclass, field
from datetime import date

from protocols.status import ORDER_ALLOCATED, ORDER_CANCELLED, ORDER_RECEIVED, ORDER_SHIPPED

from .errors import CancelRefused, InvalidOrder, OrderNotAtSite, UnknownOrderLine

MAX_LINES = 500
CENTRAL_SOURCE = "central"
WAITING_NOTE = "waiting for stock at any site"
# Orders in these statuses no longer hold stock at their site (see allocation.py).
CLOSED_STATUSES = (ORDER_SHIPPED, ORDER_CANCELLED)
# Statuses only the centre uses (sites never see or send them): see docs/central.md.
ORDER_ON_HOLD = "on_hold"                    # credit or manual hold: never allocated until released
ORDER_CANCEL_REQUESTED = "cancel_requested"  # cancel sent to the site, waiting for its answer
ORDER_SPLIT = "split"                        # filled by parts, each its own site order
CENTRAL_ONLY_STATUSES = (ORDER_ON_HOLD, ORDER_CANCEL_REQUESTED, ORDER_SPLIT)
CUSTOMER, TRANSFER = "customer", "transfer"


@dataclass
class OrderLine:
    line_no: int
    sku: str
    qty: int
    picked_qty: int = 0
    short_qty: int = 0

    @property
    def outstanding(self) -> int:
        """Return what the site still has to pick or report short on this line."""
        return max(self.qty - self.picked_qty - self.short_qty, 0)


@dataclass(frozen=True)
class StatusChange:
    status: str
    at: str
    source: str
    note: str = ""
    actor: str = ""


@dataclass(frozen=True)
class OrderAllocated:
    """Event: the order went to a site; the service turns it into an order.allocated command."""

    order_id: str
    site_id: str


@dataclass(frozen=True)
class OrderCancelRequested:
    """Event: the order's site must stop work on it; the service sends order.cancelled down."""

    order_id: str
    site_id: str
    reason: str


@dataclass
class Order:
    order_id: str
    customer: str
    priority: int
    requested_ship_date: str
    lines: list[OrderLine]
    status: str = ORDER_RECEIVED
    site_id: str | None = None
    external_ref: str | None = None
    note: str = ""
    created_at: str = ""
    updated_at: str = ""
    allow_split: bool = False
    parent_order_id: str | None = None
    kind: str = CUSTOMER
    ship_to_site: str | None = None
    transfer_received_at: str | None = None
    backorder_of: str | None = None      # a back-order part: the site order whose short it fills
    backorder_task: str | None = None    # ... and the task at that order's site that was shorted
    backorder_recovered: int = 0         # units the shorting site later filled itself (task.short_recovered)
    new_history: list[StatusChange] = field(default_factory=list, repr=False, compare=False)
    events: list = field(default_factory=list, repr=False, compare=False)
    new_parts: list["Order"] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def place(cls, order_id: str, customer: str, priority: int, requested_ship_date: str,
              lines: list[tuple[str, int]], now: str, external_ref: str | None = None,
              allow_split: bool = False, parent_order_id: str | None = None, kind: str = CUSTOMER,
              ship_to_site: str | None = None) -> "Order":
        """Take a new order in status received, numbering its lines 1..n; refuse a malformed one."""
        check_order_fields(customer, priority, requested_ship_date, lines)
        order = cls(order_id, customer, priority, requested_ship_date,
                    [OrderLine(n, sku, qty) for n, (sku, qty) in enumerate(lines, start=1)],
                    external_ref=external_ref, created_at=now, updated_at=now, allow_split=allow_split,
                    parent_order_id=parent_order_id, kind=kind, ship_to_site=ship_to_site)
        note = f"part of {parent_order_id}" if parent_order_id else ""
        order.new_history.append(StatusChange(ORDER_RECEIVED, now, CENTRAL_SOURCE, note))
        return order

    def part(self, part_id: str, lines: list[tuple[str, int]], now: str) -> "Order":
        """Make a new received order for some of this order's quantities, referring to this one as parent."""
        return Order.place(part_id, self.customer, self.priority, self.requested_ship_date, lines, now,
                           parent_order_id=self.order_id, kind=self.kind, ship_to_site=self.ship_to_site)

    def split(self, plan: list[tuple[str, dict[str, int]]], now: str) -> list["Order"]:
        """Fill the order by parts, one per (site, quantities) of the plan, each allocated to its site."""
        if self.status != ORDER_RECEIVED:
            raise InvalidOrder(f"order {self.order_id} is {self.status}, only a received order can be split",
                               code="not_allocatable")
        parts = []
        for n, (site_id, qty_by_sku) in enumerate(plan, start=1):
            part = self.part(f"{self.order_id}-{n}", list(qty_by_sku.items()), now)
            part.allocate(site_id, now)
            parts.append(part)
        sites = ", ".join(site for site, _ in plan)
        self.status, self.note, self.updated_at = ORDER_SPLIT, f"split across {sites}", now
        self.new_history.append(StatusChange(ORDER_SPLIT, now, CENTRAL_SOURCE,
                                             f"parts {', '.join(p.order_id for p in parts)} to {sites}"))
        self.new_parts.extend(parts)
        return parts

    def line(self, line_no: int) -> OrderLine | None:
        return next((line for line in self.lines if line.line_no == line_no), None)

    def demand(self) -> dict[str, int]:
        """Return the quantity asked per sku."""
        wanted: dict[str, int] = {}
        for line in self.lines:
            wanted[line.sku] = wanted.get(line.sku, 0) + line.qty
        return wanted

    def allocate(self, site_id: str, now: str) -> None:
        """Send the order to one site; only a received order can be allocated."""
        if self.status != ORDER_RECEIVED:
            raise InvalidOrder(f"order {self.order_id} is {self.status}, only a received order can be allocated",
                               code="not_allocatable")
        self.status, self.site_id, self.note, self.updated_at = ORDER_ALLOCATED, site_id, "", now
        self.new_history.append(StatusChange(ORDER_ALLOCATED, now, CENTRAL_SOURCE, f"allocated to {site_id}"))
        self.events.append(OrderAllocated(self.order_id, site_id))

    def wait_for_stock(self, now: str) -> None:
        """Note that no site can fill the order yet (no history row: the status did not change)."""
        if self.note != WAITING_NOTE:
            self.note, self.updated_at = WAITING_NOTE, now

    def record_site_status(self, site_id: str, status: str, note: str, at: str, now: str) -> None:
        """Take the status the order's site reports, keeping it in the history.

        While a cancel is pending only the site's final word changes the status: cancelled, or
        shipped (then the cancel is refused, and the note says so).
        """
        self._check_site(site_id)
        self.new_history.append(StatusChange(status, at, site_id, note))
        self.updated_at = now
        if self.status == ORDER_CANCEL_REQUESTED:
            if status == ORDER_SHIPPED:
                self.status, self.note = status, "cancel refused: the site had already shipped the order"
            elif status == ORDER_CANCELLED:
                self.status, self.note = status, note
            return
        self.status, self.note = status, note

    def note_event(self, note: str, now: str) -> None:
        """Keep a fact about the order in its history without changing its status."""
        self.updated_at = now
        self.new_history.append(StatusChange(self.status, now, CENTRAL_SOURCE, note))

    def note_site_event(self, site_id: str, note: str, at: str, now: str) -> None:
        """Keep a fact the order's site reports (e.g. the batch it was picked in) without changing the status."""
        self._check_site(site_id)
        self.updated_at = now
        self.new_history.append(StatusChange(self.status, at, site_id, note[:256]))

    def record_pick(self, site_id: str, line_no: int, sku: str, qty: int, now: str) -> None:
        """Add a quantity the site picked to the line."""
        self._site_line(site_id, line_no, sku).picked_qty += qty
        self.updated_at = now

    def record_short(self, site_id: str, line_no: int, sku: str, qty_short: int, now: str) -> None:
        """Add a quantity the site could not pick to the line."""
        self._site_line(site_id, line_no, sku).short_qty += qty_short
        self.updated_at = now

    def reopen_short(self, site_id: str, line_no: int, sku: str, qty: int, now: str) -> int:
        """Give a shorted quantity back to the line (its site fills it after all); return how much was reopened."""
        line = self._site_line(site_id, line_no, sku)
        reopened = min(qty, line.short_qty)
        line.short_qty -= reopened
        self.updated_at = now
        return reopened

    def hold(self, reason: str, actor: str, now: str) -> None:
        """Put a received order on hold (credit or manual); it is not allocated until released."""
        if self.status != ORDER_RECEIVED:
            raise InvalidOrder(f"order {self.order_id} is {self.status}; only an order not yet sent to a site "
                               "(received) can be put on hold", code="not_holdable")
        self._audited(ORDER_ON_HOLD, reason, actor, now)

    def release_hold(self, reason: str, actor: str, now: str) -> None:
        """Take the order off hold: it is received again and offered stock at once."""
        if self.status != ORDER_ON_HOLD:
            raise InvalidOrder(f"order {self.order_id} is {self.status}, not on hold", code="not_on_hold")
        self._audited(ORDER_RECEIVED, reason, actor, now)

    def cancel(self, reason: str, actor: str, now: str) -> None:
        """Cancel the order: at once while no site has it, else ask its site (cancel_requested).

        A split order is cancelled through its parts (see the service). Cancelling twice changes nothing.
        """
        if self.status in (ORDER_CANCELLED, ORDER_CANCEL_REQUESTED):
            return
        if self.status == ORDER_SHIPPED:
            raise CancelRefused(self.order_id, "it has already shipped")
        if self.status == ORDER_SPLIT:
            raise InvalidOrder(f"order {self.order_id} is split; cancel its parts", code="order_is_split")
        if self.status in (ORDER_RECEIVED, ORDER_ON_HOLD):
            self._audited(ORDER_CANCELLED, reason, actor, now)
            return
        self._audited(ORDER_CANCEL_REQUESTED, reason, actor, now)
        self.events.append(OrderCancelRequested(self.order_id, self.site_id, reason))

    def roll_up(self, parts: list["Order"], now: str) -> None:
        """Close a split order once every part is closed: shipped if any part shipped, else cancelled."""
        if self.status not in (ORDER_SPLIT, ORDER_CANCEL_REQUESTED) or not parts:
            return
        if all(part.status in CLOSED_STATUSES for part in parts):
            final = ORDER_SHIPPED if any(p.status == ORDER_SHIPPED for p in parts) else ORDER_CANCELLED
            self.status, self.note, self.updated_at = final, "every part is closed", now
            self.new_history.append(StatusChange(final, now, CENTRAL_SOURCE, self.note))

    def cancel_parts(self, reason: str, actor: str, now: str) -> None:
        """Note that every part of this split order was asked to cancel."""
        self._audited(ORDER_CANCEL_REQUESTED, reason, actor, now)

    def receive_transfer(self, actor: str, now: str) -> None:
        """Confirm a shipped transfer arrived at its destination site."""
        if self.kind != TRANSFER:
            raise InvalidOrder(f"order {self.order_id} is not a transfer", code="not_a_transfer")
        if self.status != ORDER_SHIPPED:
            raise InvalidOrder(f"transfer {self.order_id} is {self.status}; only a shipped transfer can arrive",
                               code="transfer_not_shipped")
        if self.transfer_received_at:
            return
        self.transfer_received_at, self.updated_at = now, now
        self.new_history.append(StatusChange(self.status, now, CENTRAL_SOURCE,
                                             f"received at {self.ship_to_site}", actor))

    def _audited(self, status: str, reason: str, actor: str, now: str) -> None:
        self.status, self.note, self.updated_at = status, reason, now
        self.new_history.append(StatusChange(status, now, CENTRAL_SOURCE, reason, actor))

    def _check_site(self, site_id: str) -> None:
        if self.site_id != site_id or self.status == ORDER_RECEIVED:
            raise OrderNotAtSite(self.order_id, site_id)

    def _site_line(self, site_id: str, line_no: int, sku: str) -> OrderLine:
        self._check_site(site_id)
        line = self.line(line_no)
        if line is None:
            raise UnknownOrderLine(f"order {self.order_id} has no line {line_no}")
        if line.sku != sku:
            raise UnknownOrderLine(f"line {line_no} of order {self.order_id} is for {line.sku}, not {sku}")
        return line


def check_order_fields(customer: str, priority: int, requested_ship_date: str,
                       lines: list[tuple[str, int]]) -> None:
    """Raise InvalidOrder naming every field that breaks the order rules."""
    errors: dict = {}
    if not customer or not customer.strip():
        errors["customer"] = ["Give the customer's name."]
    if not isinstance(priority, int) or not 1 <= priority <= 9:
        errors["priority"] = ["Use a priority from 1 (most urgent) to 9."]
    try:
        date.fromisoformat(requested_ship_date)
        if len(requested_ship_date) != 10:
            raise ValueError
    except (TypeError, ValueError):
        errors["requested_ship_date"] = ["Use a real date as YYYY-MM-DD."]
    if not 1 <= len(lines) <= MAX_LINES:
        errors["lines"] = [f"Send 1 to {MAX_LINES} lines."]
    if errors:
        raise InvalidOrder("the order has invalid fields", errors)
    line_errors, first_line_of = {}, {}
    for index, (sku, qty) in enumerate(lines):
        if not isinstance(qty, int) or qty < 1:
            line_errors[index] = {"qty": ["Order at least 1."]}
        elif sku in first_line_of:
            line_errors[index] = {"sku": [f"{sku} is already on line {first_line_of[sku] + 1}; "
                                          "put the total quantity on one line."]}
        first_line_of.setdefault(sku, index)
    if line_errors:
        duplicate = any("sku" in fault for fault in line_errors.values())
        raise InvalidOrder("the order has invalid lines", {"lines": line_errors},
                           code="duplicate_sku" if duplicate else "invalid_order")
