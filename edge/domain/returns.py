"""Customer returns: goods a customer sends back against an order this site shipped, inspected line by line.

A return is announced by the centre (an RMA, with the lines the customer said they would send) or opened at the
desk against the order number on the parcel. Each line gets a condition: restock (back to a storage location, by
a putaway task), quarantine (set aside at QUAR for the site lead) or scrap (booked in and straight out again, with
the reason). Nobody can return more of an item than the site shipped on the order, across all its returns.
"""
from dataclasses import asdict, dataclass, field
from typing import ClassVar

from .errors import DomainError
from .events import Event, StockChanged
from .receiving import QUARANTINE, RECEIVING_DOCK

RESTOCK, QUARANTINED, SCRAP = "restock", "quarantine", "scrap"
CONDITIONS = (RESTOCK, QUARANTINED, SCRAP)
RETURN_OPEN, RETURN_CLOSED = "open", "closed"
FEWER_THAN_ANNOUNCED, NOT_ANNOUNCED = "fewer_than_announced", "not_announced"


class ReturnClosed(DomainError):
    code = "return_closed"

    def __init__(self, return_id: str):
        super().__init__(f"Return {return_id} is already closed. Open a new return for the rest of the parcel.")


class OrderNotShipped(DomainError):
    code = "order_not_shipped"

    def __init__(self, order_id: str, status: str):
        super().__init__(f"Order {order_id} was not shipped from this site (it is {status}). Check the order "
                         "number on the parcel; if it is right, set the parcel aside for your site lead.")


class NotShippedOnOrder(DomainError):
    code = "not_on_order"

    def __init__(self, sku: str, order_id: str):
        super().__init__(f"{sku} was not shipped on order {order_id}. Set it aside for your site lead.")


class OverReturn(DomainError):
    code = "over_return"

    def __init__(self, sku: str, shipped: int, returned: int, qty: int, order_id: str):
        super().__init__(f"Only {shipped} x {sku} shipped on order {order_id} and {returned} already came back: "
                         f"{qty} more is too many. Count again; set any extra aside for your site lead.")


class ScrapNeedsReason(DomainError):
    code = "scrap_needs_reason"

    def __init__(self, sku: str):
        super().__init__(f"Say why {sku} is scrapped (choose a reason), then confirm.")


@dataclass(frozen=True)
class ReturnedLine:
    sku: str
    qty: int
    lot: str = ""
    expiry: str = ""
    condition: str = RESTOCK
    reason: str = ""
    picker: str = ""

    def stock_changes(self, return_id: str) -> list[StockChanged]:
        """Book the goods in (restock at RECV, else QUAR); scrapped goods leave again at once."""
        where = RECEIVING_DOCK if self.condition == RESTOCK else QUARANTINE
        changes = [StockChanged(where, self.sku, self.qty, "return", return_id, self.lot)]
        if self.condition == SCRAP:
            changes.append(StockChanged(QUARANTINE, self.sku, -self.qty, "scrap", return_id, self.lot))
        return changes


@dataclass(frozen=True)
class ReturnDiscrepancy:
    sku: str
    expected: int
    returned: int
    kind: str


@dataclass(frozen=True)
class ReturnRecorded(Event):
    TYPE: ClassVar[str] = "return.recorded"
    return_id: str
    rma_id: str
    order_id: str
    lines: list
    picker: str


@dataclass
class CustomerReturn:
    """One parcel coming back against one shipped order; `expected` holds the RMA's lines (empty: unannounced)."""

    return_id: str
    order_id: str
    rma_id: str = ""
    customer: str = ""
    expected: dict[str, int] = field(default_factory=dict)
    lines: list[ReturnedLine] = field(default_factory=list)
    status: str = RETURN_OPEN
    created_at: str = ""
    closed_at: str = ""

    def returned_qty(self, sku: str) -> int:
        return sum(line.qty for line in self.lines if line.sku == sku)

    def take(self, line: ReturnedLine, shipped: dict[str, int], returned_before: dict[str, int]) -> list[Event]:
        """Accept a line unless it returns what the order never had, or more than it shipped (all returns)."""
        if self.status != RETURN_OPEN:
            raise ReturnClosed(self.return_id)
        if shipped.get(line.sku, 0) == 0:
            raise NotShippedOnOrder(line.sku, self.order_id)
        already = returned_before.get(line.sku, 0) + self.returned_qty(line.sku)
        if already + line.qty > shipped[line.sku]:
            raise OverReturn(line.sku, shipped[line.sku], already, line.qty, self.order_id)
        if line.condition == SCRAP and not line.reason:
            raise ScrapNeedsReason(line.sku)
        self.lines.append(line)
        return list(line.stock_changes(self.return_id))

    def discrepancies(self) -> list[ReturnDiscrepancy]:
        """Compare with the RMA per sku: fewer than announced, or an item it did not announce."""
        if not self.rma_id:
            return []
        found = []
        for sku in dict.fromkeys([*self.expected, *(line.sku for line in self.lines)]):
            expected, returned = self.expected.get(sku, 0), self.returned_qty(sku)
            if returned < expected:
                found.append(ReturnDiscrepancy(sku, expected, returned, FEWER_THAN_ANNOUNCED))
            elif expected == 0:
                found.append(ReturnDiscrepancy(sku, expected, returned, NOT_ANNOUNCED))
        return found

    def close(self, picker: str, now: str) -> ReturnRecorded:
        """Close the return and report what came back, and in what condition, to the centre."""
        if self.status != RETURN_OPEN:
            raise ReturnClosed(self.return_id)
        self.status, self.closed_at = RETURN_CLOSED, now
        return ReturnRecorded(self.return_id, self.rma_id, self.order_id, self.summary(), picker)

    def summary(self) -> list[dict]:
        """Sum what came back per (sku, lot, expiry, condition, reason), in the order first scanned."""
        totals: dict[tuple, int] = {}
        for line in self.lines:
            key = (line.sku, line.lot, line.expiry, line.condition, line.reason)
            totals[key] = totals.get(key, 0) + line.qty
        return [{"sku": sku, "qty": qty, "lot": lot, "expiry": expiry, "condition": condition, "reason": reason}
                for (sku, lot, expiry, condition, reason), qty in totals.items()]

    def as_row(self) -> dict:
        return {"return_id": self.return_id, "rma_id": self.rma_id, "order_id": self.order_id,
                "customer": self.customer, "status": self.status, "expected": self.expected,
                "lines": [asdict(line) for line in self.lines], "created_at": self.created_at,
                "closed_at": self.closed_at}
