"""Event types a site sends up to the centre (`wes/v1/{site}/up/events`), v1.

Each event's `data` is validated by the schema registered for its `type`. Stock deltas are
signed quantities per (location, sku, lot) with a reason: the centre's inventory for a site is
the sum of its deltas, so applying them is commutative and exactly-once with the ledger dedupe.
"""
import functools

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from protocols.status import ORDER_STATUSES

from .plain_check import plain_check

CODE = validate.Length(min=1, max=64)
STOCK_REASONS = ("count", "pick", "ship", "adjust", "receive", "putaway", "replenish", "return", "scrap", "put_back")
RECEIPT_CONDITIONS = ("ok", "damaged")
DISCREPANCY_KINDS = ("over", "short", "damaged")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class StockChangedV1Schema(_Strict):
    location = fields.String(required=True, validate=CODE)
    sku = fields.String(required=True, validate=CODE)
    lot = fields.String(load_default="", validate=validate.Length(max=64))
    qty_delta = fields.Integer(required=True, strict=True)
    reason = fields.String(required=True, validate=validate.OneOf(STOCK_REASONS))
    ref = fields.String(load_default="", validate=validate.Length(max=128))


class OrderStatusChangedV1Schema(_Strict):
    order_id = fields.String(required=True, validate=CODE)
    status = fields.String(required=True, validate=validate.OneOf(ORDER_STATUSES))
    note = fields.String(load_default="", validate=validate.Length(max=256))


class TaskPickedV1Schema(_Strict):
    task_id = fields.String(required=True, validate=CODE)
    order_id = fields.String(required=True, validate=CODE)
    line_no = fields.Integer(required=True, strict=True)
    sku = fields.String(required=True, validate=CODE)
    location = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    picker = fields.String(required=True, validate=CODE)
    lot = fields.String(load_default="", validate=validate.Length(max=20))
    serial = fields.String(load_default="", validate=validate.Length(max=20))
    expiry = fields.String(load_default="", validate=validate.Regexp(r"^(\d{6})?$"),
                           metadata={"description": "GS1 AI 17 as scanned, YYMMDD"})


class TaskShortedV1Schema(_Strict):
    task_id = fields.String(required=True, validate=CODE)
    order_id = fields.String(required=True, validate=CODE)
    line_no = fields.Integer(required=True, strict=True)
    sku = fields.String(required=True, validate=CODE)
    location = fields.String(required=True, validate=CODE)
    qty_short = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=64))
    picker = fields.String(required=True, validate=CODE)


class TaskShortRecoveredV1Schema(_Strict):
    """A lead released a short task's missing quantity to a new task at the same site: the site fills it after all."""

    task_id = fields.String(required=True, validate=CODE, metadata={"description": "the task that was shorted"})
    new_task_id = fields.String(required=True, validate=CODE)
    order_id = fields.String(required=True, validate=CODE)
    line_no = fields.Integer(required=True, strict=True)
    sku = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))


class ScanRejectedV1Schema(_Strict):
    task_id = fields.String(required=True, validate=CODE)
    step = fields.String(required=True, validate=validate.OneOf(["location", "item"]))
    expected = fields.String(required=True, validate=validate.Length(max=128))
    scanned = fields.String(required=True, validate=validate.Length(max=128))
    picker = fields.String(required=True, validate=CODE)


class CartonClosedV1Schema(_Strict):
    carton_id = fields.String(required=True, validate=CODE)
    order_id = fields.String(required=True, validate=CODE)
    lines = fields.List(fields.Dict(keys=fields.String()), required=True)
    sscc = fields.String(load_default="", validate=validate.Regexp(r"^(\d{18})?$"))


class LocationUpsertedV1Schema(_Strict):
    location = fields.String(required=True, validate=CODE)
    barcode = fields.String(required=True, validate=CODE)
    zone = fields.String(load_default="", validate=validate.Length(max=32))
    pick_seq = fields.Integer(required=True, strict=True)


class ReceivedLineV1Schema(_Strict):
    sku = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    lot = fields.String(load_default="", validate=validate.Length(max=20))
    expiry = fields.String(load_default="", validate=validate.Regexp(r"^(\d{6})?$"))
    condition = fields.String(required=True, validate=validate.OneOf(RECEIPT_CONDITIONS))


class DiscrepancyV1Schema(_Strict):
    sku = fields.String(required=True, validate=CODE)
    expected = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    received = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    kind = fields.String(required=True, validate=validate.OneOf(DISCREPANCY_KINDS))


class ReceiptRecordedV1Schema(_Strict):
    """A receipt closed at the site: what arrived, in what condition, and how it differs from the ASN."""

    receipt_id = fields.String(required=True, validate=CODE)
    asn_id = fields.String(load_default="", validate=validate.Length(max=64),
                           metadata={"description": "empty for a blind receipt (no ASN)"})
    supplier = fields.String(load_default="", validate=validate.Length(max=128))
    lines = fields.List(fields.Nested(ReceivedLineV1Schema), required=True)
    discrepancies = fields.List(fields.Nested(DiscrepancyV1Schema), load_default=list)
    picker = fields.String(required=True, validate=CODE)


RETURN_CONDITIONS = ("restock", "quarantine", "scrap")


class ReturnedLineV1Schema(_Strict):
    sku = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    lot = fields.String(load_default="", validate=validate.Length(max=20))
    expiry = fields.String(load_default="", validate=validate.Regexp(r"^(\d{6})?$"))
    condition = fields.String(required=True, validate=validate.OneOf(RETURN_CONDITIONS))
    reason = fields.String(load_default="", validate=validate.Length(max=64))


class ReturnRecordedV1Schema(_Strict):
    """A customer return closed at the site: what came back against a shipped order, and what became of it."""

    return_id = fields.String(required=True, validate=CODE)
    rma_id = fields.String(load_default="", validate=validate.Length(max=64),
                           metadata={"description": "empty for a return the centre did not announce"})
    order_id = fields.String(required=True, validate=CODE)
    lines = fields.List(fields.Nested(ReturnedLineV1Schema), required=True)
    picker = fields.String(required=True, validate=CODE)
class OrderBatchedV1Schema(_Strict):
    """An order went into a pick batch of a wave, its batch was picked (tote to packing), or the batch was stopped."""

    order_id = fields.String(required=True, validate=CODE)
    wave_id = fields.String(required=True, validate=CODE)
    batch_id = fields.String(required=True, validate=CODE)
    stage = fields.String(required=True, validate=validate.OneOf(["released", "picked", "cancelled"]))
    slot = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=99))
    tote = fields.String(load_default="", validate=validate.Length(max=32))
    actor = fields.String(load_default="", validate=validate.Length(max=64),
                          metadata={"description": "the picker (picked) or the lead (released, cancelled)"})


SITE_EVENT_SCHEMAS: dict[str, type[Schema]] = {
    "stock.changed": StockChangedV1Schema,
    "order.status_changed": OrderStatusChangedV1Schema,
    "task.picked": TaskPickedV1Schema,
    "task.shorted": TaskShortedV1Schema,
    "task.short_recovered": TaskShortRecoveredV1Schema,
    "scan.rejected": ScanRejectedV1Schema,
    "carton.closed": CartonClosedV1Schema,
    "location.upserted": LocationUpsertedV1Schema,
    "receipt.recorded": ReceiptRecordedV1Schema,
    "return.recorded": ReturnRecordedV1Schema,
    "order.batched": OrderBatchedV1Schema,
}


def load_site_event_data(event_type: str, data: dict) -> dict:
    """Validate one site event's data by its type; raise ValueError naming the fault."""
    schema = SITE_EVENT_SCHEMAS.get(event_type)
    if schema is None:
        raise ValueError(f"unknown site event type {event_type!r}")
    try:
        return _loader(schema).load(data)
    except ValidationError as err:
        raise ValueError(f"invalid {event_type} data: {err.messages}") from None


@functools.cache
def _loader(schema: type[Schema]) -> Schema:
    # Building a schema instance costs more than loading with it; instances are safe to reuse.
    return schema()


def check_site_event_data(event_type: str, data: dict) -> None:
    """Raise ValueError as load_site_event_data does; plainly valid data passes a cheap check instead of a load."""
    schema = SITE_EVENT_SCHEMAS.get(event_type)
    check = plain_check(schema) if schema is not None else None
    if check is None or not check(data):
        load_site_event_data(event_type, data)
