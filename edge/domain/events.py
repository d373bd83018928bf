"""Facts the site tells the centre; each maps one-to-one onto a type in protocols.messages.site_events."""
from dataclasses import asdict, dataclass, field
from typing import ClassVar

from .plain_data import field_values


@dataclass(frozen=True)
class Event:
    TYPE: ClassVar[str] = ""

    def data(self) -> dict:
        """Return the event's wire data."""
        return field_values(self)


@dataclass(frozen=True)
class StockChanged(Event):
    TYPE: ClassVar[str] = "stock.changed"
    location: str
    sku: str
    qty_delta: int
    reason: str
    ref: str = ""
    lot: str = ""


@dataclass(frozen=True)
class OrderStatusChanged(Event):
    TYPE: ClassVar[str] = "order.status_changed"
    order_id: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class TaskPicked(Event):
    TYPE: ClassVar[str] = "task.picked"
    task_id: str
    order_id: str
    line_no: int
    sku: str
    location: str
    qty: int
    picker: str
    lot: str = ""
    serial: str = ""
    expiry: str = ""

    def data(self) -> dict:
        """Return the wire data; empty tracking fields are left out so older centres still accept it."""
        return {k: v for k, v in field_values(self).items() if v != "" or k not in ("lot", "serial", "expiry")}


@dataclass(frozen=True)
class TaskShorted(Event):
    TYPE: ClassVar[str] = "task.shorted"
    task_id: str
    order_id: str
    line_no: int
    sku: str
    location: str
    qty_short: int
    reason: str
    picker: str


@dataclass(frozen=True)
class TaskShortRecovered(Event):
    TYPE: ClassVar[str] = "task.short_recovered"
    task_id: str
    new_task_id: str
    order_id: str
    line_no: int
    sku: str
    qty: int


@dataclass(frozen=True)
class ScanRejected(Event):
    TYPE: ClassVar[str] = "scan.rejected"
    task_id: str
    step: str
    expected: str
    scanned: str
    picker: str


@dataclass(frozen=True)
class CartonClosed(Event):
    TYPE: ClassVar[str] = "carton.closed"
    carton_id: str
    order_id: str
    lines: list = field(default_factory=list)
    sscc: str = ""

    def data(self) -> dict:
        """Return the wire data; no sscc key when none was issued, so older centres still accept it."""
        data = asdict(self)
        if not self.sscc:
            del data["sscc"]
        return data


@dataclass(frozen=True)
class LocationUpserted(Event):
    TYPE: ClassVar[str] = "location.upserted"
    location: str
    barcode: str
    zone: str
    pick_seq: int


@dataclass(frozen=True)
class OrderBatched(Event):
    TYPE: ClassVar[str] = "order.batched"
    order_id: str
    wave_id: str
    batch_id: str
    stage: str  # released (into a wave's batch), picked (batch closed, tote to packing), cancelled
    slot: int
    tote: str = ""
    actor: str = ""
