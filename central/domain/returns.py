"""Customer returns of shipped orders: announced here (an RMA sent to the shipping site) or reported by the site.

The centre decides nothing about the goods themselves: the site inspects each line (restock, quarantine, scrap)
and its stock deltas move the network inventory like any other. Here the order keeps the record of what came back.
"""
from dataclasses import dataclass, field

from protocols.status import ORDER_SHIPPED

from .errors import CentralError, SiteEventNotApplicable
from .orders import Order, StatusChange

RETURN_EXPECTED, RETURN_RECEIVED = "expected", "received"


class ReturnRefused(CentralError):
    """Raise when an RMA cannot be announced; code says why (the web layer maps it)."""

    def __init__(self, message: str, code: str, status: int = 409, errors: dict | None = None):
        super().__init__(message)
        self.code, self.status, self.errors = code, status, errors or {}


class ReturnNotApplicable(SiteEventNotApplicable):
    """Raise when a site reports a return the centre cannot place (order or RMA not of that site)."""


@dataclass
class CustomerReturn:
    return_id: str
    order_id: str
    site_id: str
    rma_id: str = ""
    status: str = RETURN_EXPECTED
    reason: str = ""
    expected: list[dict] = field(default_factory=list)   # [{sku, qty}] the RMA announced
    received: list[dict] = field(default_factory=list)   # the site's lines: sku, qty, lot, expiry, condition, reason
    picker: str = ""
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def announce(cls, rma_id: str, order: Order, lines: list[tuple[str, int]], reason: str, already: dict[str, int],
                 now: str) -> "CustomerReturn":
        """Announce a return of a shipped order: only skus it shipped, no more than shipped less already returned."""
        if order.status != ORDER_SHIPPED or not order.site_id:
            raise ReturnRefused(f"order {order.order_id} is {order.status}; only a shipped order can be returned",
                                "order_not_shipped")
        shipped: dict[str, int] = {}
        for line in order.lines:
            shipped[line.sku] = shipped.get(line.sku, 0) + line.picked_qty
        errors, asked = {}, {}
        for n, (sku, qty) in enumerate(lines):
            asked[sku] = asked.get(sku, 0) + qty
            if shipped.get(sku, 0) == 0:
                errors[str(n)] = [f"{sku} was not shipped on order {order.order_id}."]
            elif asked[sku] + already.get(sku, 0) > shipped[sku]:
                errors[str(n)] = [f"only {shipped[sku]} x {sku} shipped and {already.get(sku, 0)} already "
                                  "announced or returned."]
        if errors:
            raise ReturnRefused("the return names more than the order shipped", "over_return", 422,
                                {"lines": errors})
        order.note_event(f"return {rma_id} announced: " + ", ".join(f"{q} x {s}" for s, q in asked.items()), now)
        return cls(rma_id, order.order_id, order.site_id, rma_id, RETURN_EXPECTED, reason,
                   [{"sku": s, "qty": q} for s, q in asked.items()], created_at=now, updated_at=now)

    def record(self, site_id: str, data: dict, now: str) -> None:
        """Keep what the site says came back."""
        if site_id != self.site_id:
            raise ReturnNotApplicable(f"return {self.return_id} was announced to site {self.site_id}, not {site_id}")
        self.status, self.received, self.picker, self.updated_at = RETURN_RECEIVED, data["lines"], data["picker"], now

    def units(self) -> dict[str, int]:
        """Return the units per sku this return stands for: received once reported, else announced."""
        units: dict[str, int] = {}
        for line in self.received if self.status == RETURN_RECEIVED else self.expected:
            units[line["sku"]] = units.get(line["sku"], 0) + line["qty"]
        return units


def describe_received(lines: list[dict]) -> str:
    """Say what came back in a few words, for the order's history."""
    return ", ".join(f"{line['qty']} x {line['sku']} {line['condition']}" for line in lines) or "nothing"


def note_site_return(order: Order, site_id: str, return_id: str, lines: list[dict], now: str) -> None:
    """Keep the site's return in the order's history (its status stays shipped)."""
    order.updated_at = now
    note = f"return {return_id}: {describe_received(lines)}"
    order.new_history.append(StatusChange(order.status, now, site_id, note))
