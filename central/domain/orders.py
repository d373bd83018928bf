"""The customer order aggregate: placed at the centre, allocated to one site, reported on by it."""
from dataclasses import dataclass, field
from datetime import date

from protocols.status import ORDER_ALLOCATED, ORDER_CANCELLED, ORDER_RECEIVED, ORDER_SHIPPED

from .errors import InvalidOrder, OrderNotAtSite, UnknownOrderLine

MAX_LINES = 500
CENTRAL_SOURCE = "central"
WAITING_NOTE = "waiting for stock at any site"
# Orders in these statuses no longer hold stock at their site (see allocation.py).
CLOSED_STATUSES = (ORDER_SHIPPED, ORDER_CANCELLED)


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


@dataclass(frozen=True)
class OrderAllocated:
    """Event: the order went to a site; the service turns it into an order.allocated command."""

    order_id: str
    site_id: str


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
    new_history: list[StatusChange] = field(default_factory=list, repr=False, compare=False)
    events: list[OrderAllocated] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def place(cls, order_id: str, customer: str, priority: int, requested_ship_date: str,
              lines: list[tuple[str, int]], now: str, external_ref: str | None = None) -> "Order":
        """Take a new order in status received, numbering its lines 1..n; refuse a malformed one."""
        check_order_fields(customer, priority, requested_ship_date, lines)
        order = cls(order_id, customer, priority, requested_ship_date,
                    [OrderLine(n, sku, qty) for n, (sku, qty) in enumerate(lines, start=1)],
                    external_ref=external_ref, created_at=now, updated_at=now)
        order.new_history.append(StatusChange(ORDER_RECEIVED, now, CENTRAL_SOURCE))
        return order

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
        """Take the status the order's site reports, keeping it in the history."""
        self._check_site(site_id)
        self.status, self.note, self.updated_at = status, note, now
        self.new_history.append(StatusChange(status, at, site_id, note))

    def record_pick(self, site_id: str, line_no: int, sku: str, qty: int, now: str) -> None:
        """Add a quantity the site picked to the line."""
        self._site_line(site_id, line_no, sku).picked_qty += qty
        self.updated_at = now

    def record_short(self, site_id: str, line_no: int, sku: str, qty_short: int, now: str) -> None:
        """Add a quantity the site could not pick to the line."""
        self._site_line(site_id, line_no, sku).short_qty += qty_short
        self.updated_at = now

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
