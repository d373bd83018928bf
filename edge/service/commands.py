"""Commands the edge handles; picker commands carry the device's op_id for idempotency."""
from dataclasses import dataclass, field

from edge.domain.plain_data import field_values


@dataclass(frozen=True)
class Command:
    def fingerprint(self) -> dict:
        """Return what makes two requests with one op_id the same request."""
        return {"command": type(self).__name__,
                **{k: v for k, v in field_values(self).items() if k not in ("badge", "device_id")}}


@dataclass(frozen=True)
class SignIn(Command):
    badge: str
    pin: str
    device_id: str


@dataclass(frozen=True)
class AssignNextTask(Command):
    badge: str
    device_id: str


@dataclass(frozen=True)
class ScanLocation(Command):
    task_id: str
    barcode: str
    badge: str
    device_id: str
    op_id: str
    scanned_at: str = ""
    lease_epoch: int | None = None


@dataclass(frozen=True)
class ConfirmPick(Command):
    task_id: str
    barcode: str
    qty: int
    badge: str
    device_id: str
    op_id: str
    scanned_at: str = ""
    lease_epoch: int | None = None
    lot: str = ""
    serial: str = ""
    expiry: str = ""
    qty_confirmed: bool = False  # the picker typed or confirmed the quantity (verification profile "quantity")

    def fingerprint(self) -> dict:
        """Leave qty_confirmed out while false, so an op first answered before the field existed still replays."""
        found = super().fingerprint()
        if not self.qty_confirmed:
            del found["qty_confirmed"]
        return found


@dataclass(frozen=True)
class ReportShortPick(Command):
    task_id: str
    qty_found: int
    reason: str
    badge: str
    device_id: str
    op_id: str
    scanned_at: str = ""
    lease_epoch: int | None = None


@dataclass(frozen=True)
class LeaseTasks(Command):
    """Lease up to `limit` tasks to the picker's device so they can be worked with no connection."""

    badge: str
    device_id: str
    limit: int = 5
    lease_minutes: float = 30.0


@dataclass(frozen=True)
class PostponeTask(Command):
    task_id: str
    reason: str
    badge: str
    device_id: str
    op_id: str
    lease_epoch: int | None = None


@dataclass(frozen=True)
class CreateEnrolmentCode(Command):
    """Make a single-use code a handheld can enrol with during the next `minutes`."""

    minutes: float = 60.0
    actor: str = ""  # the dashboard login that asked for it; audited when given


@dataclass(frozen=True)
class EnrolDevice(Command):
    enrolment_code: str
    device_id: str


@dataclass(frozen=True)
class RevokeDevice(Command):
    device_id: str
    actor: str = ""  # the dashboard login that asked for it; audited when given
    reason: str = ""


@dataclass(frozen=True)
class CloseCarton(Command):
    """Close a carton; items None packs all that is picked and not yet packed."""
    order_id: str
    badge: str
    device_id: str
    op_id: str
    items: tuple[tuple[str, int], ...] | None = None  # (barcode, qty) as scanned into the carton


@dataclass(frozen=True)
class ConfirmShipment(Command):
    """Ship a packed order; cartons, when given, are the carton ids or SSCCs scanned at loading."""
    order_id: str
    badge: str
    device_id: str
    op_id: str
    dock_door: str = ""
    cartons: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ReleaseOrder(Command):
    """Release an order the centre allocated to this site (command order.allocated)."""

    order_id: str
    customer: str
    priority: int
    requested_ship_date: str
    lines: list[dict]
    cmd_event_id: str = ""


@dataclass(frozen=True)
class CancelOrder(Command):
    order_id: str
    reason: str = ""


@dataclass(frozen=True)
class UpsertItem(Command):
    sku: str
    description: str = ""
    gtins: list[str] = field(default_factory=list)
    tracking: str = "none"


@dataclass(frozen=True)
class SeedSite(Command):
    """Load a site's locations, pickers and counted stock; a second run with the same file changes nothing."""

    site_id: str
    locations: list[dict] = field(default_factory=list)
    pickers: list[dict] = field(default_factory=list)
    stock: list[dict] = field(default_factory=list)
