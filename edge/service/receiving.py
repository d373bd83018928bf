"""Handlers for receiving: take the centre's ASN, open blind receipts, receive pallets and items, close a receipt.

Each receipt scan lands the goods at the receiving dock (damaged ones in quarantine) as a `receive` stock delta
and opens one putaway task per line received in good condition, in the same transaction.
"""
from dataclasses import asdict

from edge.domain.catalogue import Item, Traced
from edge.domain.errors import DomainError, TrackingRequired
from edge.domain.events import StockChanged
from edge.domain.putaway import PutawayTask, Quant, Slot, suggest_location
from edge.domain.receiving import OK, ExpectedLine, Receipt, ReceivedLine
from protocols.barcode import BarcodeError, classify

from .idempotency import idempotent
from .receiving_ports import ReceivingRepository
from .receiving_commands import CloseReceipt, ReceiveItems, ReceivePallet, RegisterAsn, StartBlindReceipt
from .unit_of_work import Origin, UnitOfWork


class UnknownReceipt(DomainError):
    code = "unknown_receipt"

    def __init__(self, receipt_id: str):
        super().__init__(f"No receipt or ASN {receipt_id} at this site. Check the delivery papers, "
                         "or start a blind receipt.")


class ReceiptIdTaken(DomainError):
    code = "receipt_exists"

    def __init__(self, receipt_id: str):
        super().__init__(f"Receipt {receipt_id} already exists. Start the blind receipt again to get a new number.")


class UnknownItemScan(DomainError):
    code = "unknown_item"

    def __init__(self, scanned: str):
        super().__init__(f"No item of this site has barcode {scanned}. Check the label; if the item is new, "
                         "set it aside and tell your site lead.")


class LotExpiryMismatch(DomainError):
    code = "lot_expiry_mismatch"

    def __init__(self, sku: str, lot: str, known: str, scanned: str):
        super().__init__(f"Lot {lot} of {sku} is recorded with expiry {known}, the label says {scanned}. "
                         "Set the case aside and tell your site lead.")


class BadBarcode(DomainError):
    code = "bad_barcode"


def register_asn(cmd: RegisterAsn, uow: UnitOfWork) -> dict:
    """Open a receipt for the ASN (its id is the ASN's) and learn its items; a repeat changes nothing."""
    with uow:
        existing = uow.receiving.get_receipt(cmd.asn_id)
        if existing is not None:
            if existing.blind:
                raise ReceiptIdTaken(cmd.asn_id)
            return {"receipt_id": cmd.asn_id, "created": False}
        for line in cmd.lines:
            item = line["item"]
            uow.items.save(Item(item["sku"], item.get("description", ""), list(item.get("gtins", [])),
                                item.get("tracking", "none")))
        expected = [ExpectedLine(line["line_no"], line["sku"], line["qty"], line.get("lot", ""),
                                 line.get("expiry", ""), line.get("sscc", "")) for line in cmd.lines]
        uow.receiving.add_receipt(Receipt(cmd.asn_id, cmd.asn_id, cmd.supplier, expected,
                                          over_tolerance_pct=cmd.over_tolerance_pct, created_at=uow.now()))
        uow.commit()
    return {"receipt_id": cmd.asn_id, "created": True}


@idempotent(status=201)
def start_blind_receipt(cmd: StartBlindReceipt, uow: UnitOfWork) -> dict:
    """Open a receipt without an ASN under the id the device chose."""
    if uow.receiving.get_receipt(cmd.receipt_id) is not None:
        raise ReceiptIdTaken(cmd.receipt_id)
    receipt = Receipt(cmd.receipt_id, "", cmd.supplier, created_at=uow.now())
    uow.receiving.add_receipt(receipt)
    return {"receipt": receipt_view(receipt, uow.items.get),
            "message": f"Blind receipt {receipt.receipt_id} open. Scan the items and count them."}


@idempotent(status=201)
def receive_pallet(cmd: ReceivePallet, uow: UnitOfWork) -> dict:
    """Receive every ASN line on the scanned pallet in full."""
    receipt = _receipt(uow, cmd.receipt_id)
    sscc = _sscc(cmd.sscc)
    untraced = {line.sku for line in receipt.expected if missing_tracking(uow, line.sku, line.lot, line.expiry)}
    lines = receipt.receive_pallet(sscc, cmd.badge, untraced)
    for line in lines:
        check_lot(uow, line.sku, line.lot, line.expiry)
    tasks = _land(uow, cmd, receipt, lines)
    what = ", ".join(f"{line.qty} x {line.sku}" for line in lines)
    return {"receipt": receipt_view(receipt, uow.items.get), "putaway_tasks": [task_view(t, uow.locations.get, uow.items.get) for t in tasks],
            "message": f"Pallet {sscc} received: {what}. Scan the next pallet or item."}


@idempotent(status=201)
def receive_items(cmd: ReceiveItems, uow: UnitOfWork) -> dict:
    """Count scanned items in (lot and expiry from the GS1 label or the request), ok or damaged."""
    receipt = _receipt(uow, cmd.receipt_id)
    sku, lot, expiry = resolve_scan(uow, cmd)
    missing = missing_tracking(uow, sku, lot, expiry)
    if missing:
        raise TrackingRequired(sku, missing)
    check_lot(uow, sku, lot, expiry)
    line = receipt.receive_items(ReceivedLine(sku, cmd.qty, lot, expiry, cmd.condition, "", cmd.reason, cmd.badge))
    tasks = _land(uow, cmd, receipt, [line])
    where = "set aside in quarantine" if line.condition != OK else "at the receiving dock"
    return {"receipt": receipt_view(receipt, uow.items.get), "putaway_tasks": [task_view(t, uow.locations.get, uow.items.get) for t in tasks],
            "message": f"{cmd.qty} x {sku} received, {where}. "
                       f"{receipt.received_qty(sku)} of {receipt.expected_qty(sku)} expected so far."}


@idempotent()
def close_receipt(cmd: CloseReceipt, uow: UnitOfWork) -> dict:
    """Close the receipt; differences from the ASN become exceptions for the site lead."""
    receipt = _receipt(uow, cmd.receipt_id)
    event = receipt.close(cmd.badge, uow.now())
    found = receipt.discrepancies()
    uow.receiving.add_exceptions(receipt, found, uow.now())
    uow.receiving.save_receipt(receipt)
    uow.emit([event], Origin(cmd.device_id, cmd.op_id))
    told = "; ".join(f"{d.kind} {d.sku}: {d.received} of {d.expected}" for d in found)
    message = (f"Receipt {receipt.receipt_id} closed with differences ({told}): your site lead is told."
               if found else f"Receipt {receipt.receipt_id} closed: everything as expected.")
    return {"receipt": receipt_view(receipt, uow.items.get), "message": message}


def receipt_view(receipt: Receipt, item_for) -> dict:
    """Describe a receipt with what the handheld needs to check scans offline (barcodes, tracking, pallets)."""
    lines = []
    for line in receipt.expected:
        item = item_for(line.sku) or Item(line.sku)
        lines.append({"line_no": line.line_no, "sku": line.sku, "description": item.description, "qty": line.qty,
                      "lot": line.lot, "expiry": line.expiry, "sscc": line.sscc, "barcodes": item.barcodes(),
                      "tracking": item.tracking, "received_qty": 0})
    for sku in {line.sku for line in receipt.expected}:  # the received total goes on the sku's first line
        first = next(line for line in lines if line["sku"] == sku)
        first["received_qty"] = receipt.received_qty(sku)
    received_pallets = {line.sscc for line in receipt.received if line.sscc}
    return {"receipt_id": receipt.receipt_id, "asn_id": receipt.asn_id, "supplier": receipt.supplier,
            "blind": receipt.blind, "status": receipt.status, "over_tolerance_pct": receipt.over_tolerance_pct,
            "lines": lines, "pallets": [{"sscc": s, "received": s in received_pallets} for s in receipt.pallets()],
            "received": receipt.summary(),
            "discrepancies": [asdict(d) for d in receipt.discrepancies()] if receipt.status != "open" else []}


def task_view(task: PutawayTask, location_for, item_for) -> dict:
    """Describe a putaway task with the suggested location's label, so the handheld can check it offline."""
    location = location_for(task.suggested) if task.suggested else None
    item = item_for(task.sku) or Item(task.sku)
    return {"task_id": task.task_id, "receipt_id": task.receipt_id, "sku": task.sku, "description": item.description,
            "lot": task.lot, "expiry": task.expiry, "qty": task.qty, "from_location": task.from_location,
            "kind": task.kind,
            "suggested_location": task.suggested, "suggested_barcode": location.barcode if location else "",
            "status": task.status, "location": task.location, "override_reason": task.override_reason}


def planned_slots(uow: UnitOfWork) -> list[Slot]:
    """Return the storage locations with what they hold plus what open putaways are heading there."""
    return planned_slots_of(uow.receiving)


def planned_slots_of(receiving: ReceivingRepository) -> list[Slot]:
    """Return planned_slots from the receiving repository alone (the read side uses it too)."""
    planned: dict[str, list[Quant]] = {}
    for task in receiving.open_tasks():
        if task.suggested:
            planned.setdefault(task.suggested, []).append(Quant(task.sku, task.lot, task.expiry, task.qty))
    return [Slot(s.location, s.barcode, s.zone, s.pick_seq, s.capacity, (*s.held, *planned.get(s.location, ())))
            for s in receiving.slots()]


def _land(uow: UnitOfWork, cmd, receipt: Receipt, lines: list[ReceivedLine]) -> list[PutawayTask]:
    """Book the goods in as stock and open a putaway task for each line in good condition."""
    events, tasks = [], []
    for line in lines:
        events.append(StockChanged(line.location, line.sku, line.qty, "receive", receipt.receipt_id, line.lot))
        uow.receiving.change_stock(line.location, line.sku, line.lot, line.qty)
        if line.lot and line.expiry:
            uow.receiving.remember_lot(line.sku, line.lot, line.expiry)
        if line.condition == OK:
            slot = suggest_location(planned_slots(uow), line.sku, line.expiry, line.qty)
            task = PutawayTask(uow.receiving.next_task_id(), receipt.receipt_id, line.sku, line.lot, line.expiry,
                               line.qty, slot.location if slot else "")
            uow.receiving.add_task(task)
            tasks.append(task)
    uow.receiving.save_receipt(receipt)
    uow.emit(events, Origin(cmd.device_id, cmd.op_id, cmd.scanned_at))
    return tasks


def _receipt(uow: UnitOfWork, receipt_id: str) -> Receipt:
    receipt = uow.receiving.get_receipt(receipt_id)
    if receipt is None:
        raise UnknownReceipt(receipt_id)
    return receipt


def missing_tracking(uow: UnitOfWork, sku: str, lot: str, expiry: str) -> list[str]:
    """Return what the item's tracking needs from a receipt that is not there (serials are not captured here)."""
    item = uow.items.get(sku) or Item(sku)
    return [name for name in item.missing(Traced(lot, "", expiry)) if name != "serial"]


def _sscc(raw: str) -> str:
    try:
        scan = classify(raw)
    except BarcodeError as err:
        raise BadBarcode(str(err)) from None
    if scan.kind != "sscc":
        raise BadBarcode(f"{scan.value} is not a pallet label (SSCC). Scan the SSCC barcode on the pallet.")
    return scan.value


def resolve_scan(uow: UnitOfWork, cmd) -> tuple[str, str, str]:
    """Return (sku, lot, expiry) from the scan; a GS1 label's lot and expiry fill what the request left out."""
    try:
        scan = classify(cmd.barcode)
    except BarcodeError as err:
        raise BadBarcode(str(err)) from None
    sku = uow.receiving.sku_for_barcode(scan.value)
    if sku is None:
        raise UnknownItemScan(scan.value)
    return sku, cmd.lot or scan.lot or "", cmd.expiry or scan.expiry or ""


def check_lot(uow: UnitOfWork, sku: str, lot: str, expiry: str) -> None:
    known = uow.receiving.lot_expiry(sku, lot) if lot else None
    if known is not None and expiry and known != expiry:
        raise LotExpiryMismatch(sku, lot, known, expiry)
