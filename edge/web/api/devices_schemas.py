"""Request and response schemas of the devices API (printer registry, print jobs); unknown fields are refused."""
from marshmallow import Schema, fields, validate

from edge.devices import print_queue as queue

from ..schemas import StrictInt, _Strict

NAME = validate.Length(min=1, max=32)
REASON = {"description": "why: kept in the audit log with who and when"}
JOB_STATUSES = (queue.QUEUED, queue.SENT, queue.AWAITING_CONFIRMATION, queue.CANCELLED)


class StrictBool(fields.Boolean):
    """A JSON true or false, nothing else ("yes", 1 and "true" are refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class _Reasoned(_Strict):
    reason = fields.String(load_default="", validate=validate.Length(max=200), metadata=REASON)


class PrinterV1Schema(_Reasoned):
    url = fields.String(required=True, validate=validate.Length(min=1, max=200),
                        metadata={"description": "tcp://host:9100, a serial port (/dev/ttyUSB0, COM3) or rfc2217://"})
    dpi = StrictInt(load_default=203, validate=validate.OneOf((203, 300)))
    width_mm = fields.Float(load_default=101.6, validate=validate.Range(min=20, max=220))
    height_mm = fields.Float(load_default=152.4, validate=validate.Range(min=10, max=1000))
    station = fields.String(load_default="", validate=validate.Length(max=32),
                            metadata={"description": "PACK: the first PACK printer prints carton labels"})
    fallback = fields.String(load_default="", validate=validate.Length(max=32),
                             metadata={"description": "printer taking unsent jobs when this one is down"})


class ReasonV1Schema(_Reasoned):
    pass


class ConfirmV1Schema(_Reasoned):
    printed = StrictBool(required=True, metadata={"description": "true: the label came out; false: send it again"})


class ReprintV1Schema(_Reasoned):
    printer = fields.String(validate=NAME, metadata={"description": "another printer with the same stock and dpi"})


class JobFilterV1Schema(_Strict):
    status = fields.String(validate=validate.OneOf(JOB_STATUSES))
    printer = fields.String(validate=NAME)
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class PreviewV1Schema(_Strict):
    dpi = fields.Integer(load_default=203, validate=validate.OneOf((203, 300, 600)))


class PrinterStateV1Schema(Schema):
    name = fields.String()
    url = fields.String()
    dpi = fields.Integer()
    width_mm = fields.Float()
    height_mm = fields.Float()
    station = fields.String()
    fallback = fields.String()
    state = fields.String(metadata={"description": "online, offline or unknown (not polled yet)"})
    last_problem = fields.String()
    next_poll_at = fields.String(metadata={"description": "when an offline printer is asked again"})
    checked_at = fields.String()
    jobs_queued = fields.Integer()
    jobs_awaiting_confirmation = fields.Integer()


class PrintersV1Schema(Schema):
    site_id = fields.String()
    printers = fields.List(fields.Nested(PrinterStateV1Schema))
    worker = fields.Dict(metadata={"description": "the print queue worker: running, drains, last_error"})


class PrinterEditedV1Schema(Schema):
    printer = fields.Dict()
    created = fields.Boolean()
    warnings = fields.List(fields.String())


class PrinterRemovedV1Schema(Schema):
    removed = fields.String()
    warnings = fields.List(fields.String())


class ScannerStateV1Schema(Schema):
    name = fields.String()
    url = fields.String()
    profile = fields.String()
    station = fields.String()
    port = fields.String(metadata={"description": "present, missing, or unknown for network URLs"})


class PrintJobV1Schema(Schema):
    job_id = fields.Integer()
    printer = fields.String()
    label_kind = fields.String()
    ref = fields.String()
    sscc = fields.String(allow_none=True)
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.String()
    last_error = fields.String()
    reprint_of = fields.Integer(allow_none=True)


class OutcomeV1Schema(Schema):
    at = fields.String()
    printer = fields.String()
    outcome = fields.String()
    detail = fields.String()


class ActionV1Schema(Schema):
    at = fields.String()
    actor = fields.String()
    action = fields.String()
    reason = fields.String()


class PrintJobDetailV1Schema(PrintJobV1Schema):
    history = fields.List(fields.Nested(OutcomeV1Schema))
    actions = fields.List(fields.Nested(ActionV1Schema))

