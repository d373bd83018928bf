"""Receiving and putaway on the handheld: receipts (ASN or blind), pallet and item scans, putaway confirmation."""
from flask.views import MethodView
from marshmallow import fields, validate

from edge.adapters import receiving_queries
from edge.service.putaway import UnknownPutawayTask
from edge.service.receiving import UnknownReceipt
from edge.service.receiving_commands import (CloseReceipt, ConfirmPutaway, ReceiveItems, ReceivePallet,
                                             StartBlindReceipt)
from protocols.messages.site_events import RECEIPT_CONDITIONS

from ..schemas import BARCODE, CODE, StrictInt, _Op, _Strict
from . import answer, picker_and_device, read_query, services, signed_in_blueprint

blp = signed_in_blueprint("receiving", __name__, "Receiving against ASNs or blind, and putaway")
EXPIRY = validate.Regexp(r"^(\d{6})?$", error="expiry is GS1 AI 17 as printed: YYMMDD")
REASON = validate.Length(max=64)


class ReceiptFilterV1Schema(_Strict):
    status = fields.String(validate=validate.OneOf(["open", "closed"]))


class BlindReceiptV1Schema(_Op):
    receipt_id = fields.String(required=True, validate=CODE, metadata={"description": "chosen on the device"})
    supplier = fields.String(load_default="", validate=validate.Length(max=128))


class PalletV1Schema(_Op):
    sscc = fields.String(required=True, validate=BARCODE, metadata={"description": "the pallet's SSCC as scanned"})
    scanned_at = fields.AwareDateTime(format="iso")


class ReceiveItemsV1Schema(_Op):
    barcode = fields.String(required=True, validate=BARCODE,
                            metadata={"description": "the raw scan: sku, GTIN, or GS1 with lot (10) and expiry (17)"})
    qty = StrictInt(required=True, validate=validate.Range(min=1, max=100_000))
    lot = fields.String(load_default="", validate=validate.Length(max=20), metadata={"description": "GS1 AI 10"})
    expiry = fields.String(load_default="", validate=EXPIRY, metadata={"description": "GS1 AI 17, YYMMDD"})
    condition = fields.String(load_default="ok", validate=validate.OneOf(RECEIPT_CONDITIONS))
    reason = fields.String(load_default="", validate=REASON,
                           metadata={"description": "why more than the ASN (plus tolerance) arrived"})
    scanned_at = fields.AwareDateTime(format="iso")


class PutawayFilterV1Schema(_Strict):
    receipt_id = fields.String(validate=CODE)


class ConfirmPutawayV1Schema(_Op):
    location_barcode = fields.String(required=True, validate=BARCODE)
    reason = fields.String(load_default="", validate=REASON,
                           metadata={"description": "why not the suggested location (needed then)"})
    scanned_at = fields.AwareDateTime(format="iso")



@blp.route("/receipts")
class Receipts(MethodView):
    @blp.arguments(ReceiptFilterV1Schema, location="query")
    @blp.response(200)
    def get(self, args):
        """List receipts (ASNs sent down by the centre and blind ones), open first."""
        return {"receipts": read_query(receiving_queries.receipts, args.get("status"))}

    @blp.arguments(BlindReceiptV1Schema)
    @blp.response(201)
    def post(self, body):
        """Start a blind receipt (goods with no ASN) under the id the device chose."""
        return answer(services().bus.handle(StartBlindReceipt(body["receipt_id"], body["supplier"],
                                                              *picker_and_device(), body["op_id"])))


@blp.route("/receipts/<receipt_id>")
class ReceiptDetail(MethodView):
    @blp.response(200)
    def get(self, receipt_id):
        """Show one receipt: expected lines with their barcodes and tracking, pallets, arrivals, putaways."""
        receipt = read_query(receiving_queries.receipt_detail, receipt_id)
        if receipt is None:
            raise UnknownReceipt(receipt_id)
        return receipt


@blp.route("/receipts/<receipt_id>/pallets")
class Pallets(MethodView):
    @blp.arguments(PalletV1Schema)
    @blp.response(201)
    def post(self, body, receipt_id):
        """Receive a whole pallet of the ASN by its SSCC."""
        return answer(services().bus.handle(ReceivePallet(receipt_id, body["sscc"], *picker_and_device(), body["op_id"],
                                                          body.get("scanned_at", ""))))


@blp.route("/receipts/<receipt_id>/items")
class Items(MethodView):
    @blp.arguments(ReceiveItemsV1Schema)
    @blp.response(201)
    def post(self, body, receipt_id):
        """Count scanned items in, in good condition or damaged; over the ASN needs a reason."""
        return answer(services().bus.handle(ReceiveItems(
            receipt_id, body["barcode"], body["qty"], *picker_and_device(), body["op_id"], body["lot"], body["expiry"],
            body["condition"], body["reason"].strip(), body.get("scanned_at", ""))))


@blp.route("/receipts/<receipt_id>/close")
class Close(MethodView):
    @blp.arguments(_Op)
    @blp.response(200)
    def post(self, body, receipt_id):
        """Close the receipt: differences from the ASN become exceptions for the site lead."""
        return answer(services().bus.handle(CloseReceipt(receipt_id, *picker_and_device(), body["op_id"])))


@blp.route("/putaway-tasks")
class PutawayTasks(MethodView):
    @blp.arguments(PutawayFilterV1Schema, location="query")
    @blp.response(200)
    def get(self, args):
        """List open putaway tasks (of one receipt, if given) with the suggested location's label."""
        return {"tasks": read_query(receiving_queries.putaway_tasks, args.get("receipt_id"))}


@blp.route("/putaway-tasks/<task_id>")
class PutawayTaskDetail(MethodView):
    @blp.response(200)
    def get(self, task_id):
        """Show one putaway task."""
        task = read_query(receiving_queries.putaway_task, task_id)
        if task is None:
            raise UnknownPutawayTask(task_id)
        return task


@blp.route("/putaway-tasks/<task_id>/confirm")
class ConfirmPutawayView(MethodView):
    @blp.arguments(ConfirmPutawayV1Schema)
    @blp.response(200)
    def post(self, body, task_id):
        """Scan the location the goods were put at; another than suggested needs a reason."""
        return answer(services().bus.handle(ConfirmPutaway(task_id, body["location_barcode"], *picker_and_device(),
                                                           body["op_id"], body["reason"].strip(),
                                                           body.get("scanned_at", ""))))
