"""Commands the centre handles, one per use case (imperative names)."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrderLineRequest:
    sku: str
    qty: int


@dataclass(frozen=True)
class CreateOrder:
    customer: str
    requested_ship_date: str
    lines: list[OrderLineRequest]
    priority: int = 5
    external_ref: str | None = None
    allow_split: bool = False
    hold_reason: str | None = None
    """Create the order on hold with this reason (None: not on hold)."""
    operator: str = ""


@dataclass(frozen=True)
class HoldOrder:
    order_id: str
    reason: str
    operator: str = ""


@dataclass(frozen=True)
class ReleaseHold:
    order_id: str
    reason: str
    operator: str = ""


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    reason: str
    operator: str = ""


@dataclass(frozen=True)
class CreateTransfer:
    from_site: str
    to_site: str
    requested_ship_date: str
    lines: list[OrderLineRequest]
    priority: int = 5
    operator: str = ""


@dataclass(frozen=True)
class ReceiveTransfer:
    """Confirm a shipped transfer arrived at its destination: it is no longer in transit."""

    order_id: str
    operator: str = ""


@dataclass(frozen=True)
class AllocateWaitingOrders:
    """Try again to allocate every order still received (e.g. after stock arrived)."""


@dataclass(frozen=True)
class RegisterSite:
    site_id: str
    name: str


@dataclass(frozen=True)
class UpsertItem:
    sku: str
    description: str = ""
    gtins: tuple[str, ...] = ()
    tracking: str = "none"


@dataclass(frozen=True)
class SeedMasterData:
    """Load sites and items idempotently: create what is missing, update what differs."""

    sites: list[RegisterSite] = field(default_factory=list)
    items: list[UpsertItem] = field(default_factory=list)


@dataclass(frozen=True)
class RecordSiteState:
    site_id: str
    online: bool
    state: dict


@dataclass(frozen=True)
class IngestSiteEvent:
    """Apply one event a site sent up (already deduplicated by the sync inbox)."""

    site_id: str
    type: str
    data: dict
    occurred_at: str = ""


@dataclass(frozen=True)
class RecordStockSnapshot:
    """Keep a site's own stock export (location, sku, lot, qty rows) to reconcile against the ledger."""

    site_id: str
    taken_at: str
    rows: list[dict]
