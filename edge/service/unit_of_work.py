"""The unit of work: repositories plus an outbox, committed together or not at all."""
import abc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from edge.domain.catalogue import Item, Location, Picker
from edge.domain.enrolment import Device, EnrolmentCode
from edge.domain.events import Event
from edge.domain.lead_actions import Resolution
from edge.domain.orders import Carton, Order
from edge.domain.picking import PickTask
from edge.domain.release import StockSlot

if TYPE_CHECKING:
    from .receiving_ports import ReceivingRepository
    from .return_ports import ReturnRepository
    from .lot_ports import LotRepository, VerificationRepository
    from .count_ports import CountRepository, PickFaceRepository, QuantRepository, ReplenishmentRepository
    from .batch_ports import BatchRepository


@dataclass(frozen=True)
class Origin:
    """Who caused events and when: the device, its op_id and the device clock."""

    device_id: str | None = None
    op_id: str | None = None
    occurred_at: str = ""


@dataclass
class OpRecord:
    """The first answer to an op_id, kept so a replay gets the same answer."""

    op_id: str
    badge: str
    device_id: str
    endpoint: str
    request_hash: str
    status_code: int
    response: dict
    created_at: str


@dataclass
class ScanError:
    task_id: str
    step: str
    expected: str
    scanned: str
    badge: str
    device_id: str
    at: str


@dataclass
class RefusedOp:
    """A device op refused because the world moved on while the device was offline: who, what, when and why."""

    op_id: str
    badge: str
    device_id: str
    endpoint: str
    code: str
    message: str
    at: str
    task_id: str = ""
    order_id: str = ""
    occurred_at: str = ""  # the device clock when the picker did it; `at` is when it reached the edge
    request: dict | None = None


class LocationRepository(Protocol):
    def get(self, location: str) -> Location | None: ...
    def save(self, location: Location) -> None: ...


class ItemRepository(Protocol):
    def get(self, sku: str) -> Item | None: ...
    def save(self, item: Item) -> None: ...


class PickerRepository(Protocol):
    def get(self, badge: str) -> Picker | None: ...
    def save(self, picker: Picker) -> None: ...


class SessionRepository(Protocol):
    def add(self, token_hash: str, badge: str, device_id: str, created_at: str) -> None: ...


class OrderRepository(Protocol):
    def get(self, order_id: str, lines: bool = True) -> Order | None:
        """Return the order; lines=False leaves its lines empty (save() never writes them)."""
    def add(self, order: Order) -> None: ...
    def save(self, order: Order) -> None: ...


class TaskRepository(Protocol):
    def get(self, task_id: str) -> PickTask | None: ...
    def for_order(self, order_id: str) -> list[PickTask]: ...
    def next_for(self, badge: str) -> PickTask | None: ...
    def leasable(self, badge: str, now: str, limit: int) -> list[PickTask]: ...
    def next_id(self) -> str: ...
    def add(self, task: PickTask) -> None: ...
    def save(self, task: PickTask) -> None: ...


class StockRepository(Protocol):
    def on_hand(self, location: str, sku: str, lot: str = "") -> int: ...
    def slots(self, sku: str) -> list[StockSlot]: ...
    def change(self, location: str, sku: str, qty_delta: int, lot: str = "") -> None: ...


class CartonRepository(Protocol):
    def next_id(self) -> str: ...
    def add(self, carton: Carton) -> None: ...
    def for_order(self, order_id: str) -> list[Carton]: ...


class CartonLabels(Protocol):
    def label_carton(self, carton: Carton, order: Order) -> str:
        """Issue the carton's SSCC and queue its shipping label; return the SSCC, or "" when the site has none."""


class NoCartonLabels:
    """The labels port of a site without label printing: no SSCC, no print job."""

    def label_carton(self, carton: Carton, order: Order) -> str:
        """Issue nothing."""
        return ""


class OpRepository(Protocol):
    def get(self, op_id: str) -> OpRecord | None: ...
    def add(self, op: OpRecord) -> None: ...


class RefusalLog(Protocol):
    def add(self, refused: RefusedOp) -> None:
        """Keep the refusal once per op_id; a replay of the same op adds nothing."""


class DeviceRepository(Protocol):
    def get(self, device_id: str) -> Device | None: ...
    def save(self, device: Device) -> None: ...
    def end_sessions(self, device_id: str) -> None: ...


class EnrolmentCodeRepository(Protocol):
    def get(self, code_hash: str) -> EnrolmentCode | None: ...
    def save(self, code: EnrolmentCode) -> None: ...


class ScanErrorRepository(Protocol):
    def add(self, error: ScanError) -> None: ...


class AuditLog(Protocol):
    def record(self, actor: str, action: str, subject: str, reason: str = "", detail: dict | None = None) -> None: ...


class ResolutionRepository(Protocol):
    def get(self, kind: str, ref: str) -> Resolution | None: ...
    def add(self, resolution: Resolution) -> None: ...


class UnitOfWork(abc.ABC):
    """Open with `with uow:`; nothing is kept unless commit() is called inside."""

    site_id: str
    locations: LocationRepository
    items: ItemRepository
    pickers: PickerRepository
    sessions: SessionRepository
    orders: OrderRepository
    tasks: TaskRepository
    stock: StockRepository
    cartons: CartonRepository
    labels: CartonLabels
    ops: OpRepository
    scan_errors: ScanErrorRepository
    refusals: RefusalLog
    devices: DeviceRepository
    enrolment_codes: EnrolmentCodeRepository
    audit: AuditLog
    resolutions: ResolutionRepository
    receiving: "ReceivingRepository"
    counts: "CountRepository"
    pick_faces: "PickFaceRepository"
    replenishments: "ReplenishmentRepository"
    quants: "QuantRepository"
    returns: "ReturnRepository"
    lots: "LotRepository"
    verification: "VerificationRepository"
    batches: "BatchRepository"

    def __enter__(self) -> "UnitOfWork":
        self.pending: list[tuple[Event, Origin]] = []
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()

    def emit(self, events: list[Event], origin: Origin = Origin()) -> None:
        """Queue events for the outbox; they are written by commit(), in order, with the state change."""
        self.pending.extend((event, origin) for event in events)

    def commit(self) -> None:
        self._commit(self.pending)
        self.pending = []

    @abc.abstractmethod
    def _commit(self, events: list[tuple[Event, Origin]]) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...

    @abc.abstractmethod
    def now(self) -> str:
        """Return the edge clock as UTC ISO-8601."""
