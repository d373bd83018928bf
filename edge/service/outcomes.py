"""Answers the handheld API gives, stored with each op_id so a replay gets the very same answer."""
from dataclasses import dataclass
from http import HTTPStatus

from edge.domain.catalogue import Item, Location
from edge.domain.errors import DomainError
from edge.domain.picking import PickTask

STATUS_BY_CODE = {
    "sign_in_failed": 401,
    "not_your_task": 403,
    "unknown_task": 404,
    "unknown_order": 404,
    "too_many": 422,
    "tracking_required": 422,
    "wrong_location": 409,
    "wrong_item": 409,
    "scan_location_first": 409,
    "not_enough_stock": 409,
    "task_closed": 409,
    "order_not_picked": 409,
    "order_not_packed": 409,
    "nothing_to_pack": 409,
    "not_in_order": 409,
    "too_many_to_pack": 409,
    "not_in_shipment": 409,
    "cartons_missing": 409,
    "order_closed": 409,
    "op_id_reused": 409,
    "site_mismatch": 409,
    "lease_lost": 409,
    "enrolment_code_refused": 403,
    "device_not_enrolled": 401,
    "device_revoked": 403,
    "device_wrong_site": 403,
    "device_mismatch": 403,
    "unknown_device": 404,
    "reason_required": 422,
    "unknown_resolution": 422,
    "unknown_picker": 404,
    "no_free_stock": 409,
    "already_resolved": 409,
    "unknown_receipt": 404,
    "unknown_putaway_task": 404,
    "unknown_count": 404, "unknown_replenishment": 404, "count_refused": 422,
    "count_needs_lines": 422, "nothing_to_count": 422, "bad_min_max": 422, "too_many_to_move": 422,
    "unknown_return": 404, "scrap_needs_reason": 422,
    "scan_required": 422, "bad_expiry": 422, "bad_profile": 422, "bad_lot_policy": 422, "unknown_profile": 404,
    "not_expired": 409,
    "unknown_batch": 404, "bad_tote": 422, "bad_cart": 422, "nothing_to_wave": 422, "not_waveable": 409,
}


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict
    replayed: bool = False


def status_for(err: DomainError) -> int:
    return STATUS_BY_CODE.get(err.code, 409)


def error_body(status: int, code: str, message: str, errors: dict | None = None) -> dict:
    """Build the one error shape every refusal of the API uses."""
    body = {"code": status, "status": HTTPStatus(status).phrase, "error": code, "message": message}
    if errors:
        body["errors"] = errors
    return body


def refusal(err: DomainError) -> Outcome:
    status = status_for(err)
    return Outcome(status, error_body(status, err.code, err.message))


def task_view(task: PickTask, location: Location | None, item: Item | None) -> dict:
    """Describe a task with everything the handheld needs to check scans itself."""
    return {
        "task_id": task.task_id, "order_id": task.order_id, "line_no": task.line_no, "sku": task.sku,
        "description": item.description if item else "", "location": task.location,
        "location_barcode": location.barcode if location else "",
        "item_barcodes": item.barcodes() if item else [task.sku],
        "tracking": item.tracking if item else "none",
        "qty": task.qty, "picked_qty": task.picked_qty, "status": task.status, "next_step": task.next_step,
        "lease_epoch": task.lease_epoch, "lease_expires_at": task.lease_expires_at or None,
    }
