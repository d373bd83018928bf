"""One JSON error shape for every failure: {code, status, error, message, errors?}."""
import json
import logging
from http import HTTPStatus

from flask import Flask, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from central.domain.errors import (CancelRefused, DuplicateOrder, DuplicateSite, InvalidOrder, NotEnoughStock,
                                   UnknownItem, UnknownOrder, UnknownSite)
from protocols.messages.api_error import ApiErrorV1Schema

log = logging.getLogger(__name__)

# What the operator should do next, per HTTP status, when nothing more specific is known.
GENERIC = {
    400: ("bad_request", "Check the request and send it again."),
    404: ("not_found", "Check the address; see /api/openapi.json for the API."),
    405: ("method_not_allowed", "Use one of the methods listed in the Allow header."),
    413: ("body_too_large", "Send a smaller body (at most 256 KB); split large orders."),
    415: ("unsupported_media_type", "Send the body as JSON with Content-Type: application/json."),
    422: ("validation_failed", "Fix the fields listed in errors and send again."),
    500: ("internal_error", "Something failed at the centre; try again, and tell support if it persists."),
}


# Write endpoints whose bodies are not JSON (they check their own content type).
NON_JSON_BODY_PATHS = {"/api/v1/orders/imports"}


class ApiError(Exception):
    """Raise from a view to answer with a specific status, machine code and operator message."""

    def __init__(self, code: int, error: str, message: str, errors: dict | None = None):
        super().__init__(message)
        self.code, self.error, self.message, self.errors = code, error, message, errors


def error_body(code: int, error: str, message: str, errors: dict | None = None) -> dict:
    body = {"code": code, "status": HTTPStatus(code).phrase, "error": error, "message": message}
    if errors:
        body["errors"] = errors
    return body


SAFE_BRACKETS = 400  # well under the interpreter's recursion limit (1,000)


def refuse_too_deep_json() -> None:
    """Refuse a JSON body nested so deeply that parsing it would exhaust the stack (the parsers would crash)."""
    if not (request.is_json and request.content_length):
        return
    body = request.get_data(cache=True)
    # Only a body with hundreds of brackets can nest that deep; counting them is cheap, parsing twice is not.
    if body.count(b"[") + body.count(b"{") > SAFE_BRACKETS:
        try:
            json.loads(body)
        except RecursionError:
            raise ApiError(400, "bad_json", "The JSON body is nested too deeply. Send a flat JSON object.") from None
        except ValueError:
            pass  # ordinary malformed JSON is reported by the argument parser with its usual answer


class CentralApi(Api):
    """flask-smorest Api whose HTTP errors (422 validation included) use the project's error shape."""

    ERROR_SCHEMA = ApiErrorV1Schema

    def handle_http_exception(self, error: HTTPException):
        code = error.code or 500
        machine, message = GENERIC.get(code, (HTTPStatus(code).phrase.lower().replace(" ", "_"),
                                              "Check the request and send it again."))
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or data.get("messages")
        if code == 400 and isinstance(getattr(error, "exc", None), (json.JSONDecodeError, UnicodeDecodeError)):
            machine, message, errors = "bad_json", "The body is not valid JSON; fix its syntax and send again.", None
        if code == 500:
            log.error("unhandled error on %s %s", request.method, request.path,
                      exc_info=getattr(error, "original_exception", None))
        headers = {}
        if getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        return error_body(code, machine, message, errors), code, headers


def register_error_handlers(app: Flask) -> None:
    """Map API and domain errors to JSON answers, and refuse non-JSON write bodies up front."""

    @app.errorhandler(ApiError)
    def api_error(err: ApiError):
        return error_body(err.code, err.error, err.message, err.errors), err.code

    @app.errorhandler(InvalidOrder)
    def invalid_order(err: InvalidOrder):
        message = ("Put each sku on one line with its total quantity." if err.code == "duplicate_sku"
                   else "Fix the fields listed in errors and send again.")
        return error_body(422, err.code, message, err.errors), 422

    @app.errorhandler(UnknownItem)
    def unknown_item(err: UnknownItem):
        message = (f"Unknown sku(s): {', '.join(err.skus)}. Create them with PUT /api/v1/items/<sku> "
                   "or correct the order.")
        return error_body(422, "unknown_item", message, {"skus": err.skus}), 422

    @app.errorhandler(DuplicateOrder)
    def duplicate_order(err: DuplicateOrder):
        message = f"external_ref {err.external_ref} was already taken as order {err.order_id}; do not send it again."
        return error_body(409, "duplicate_order", message, {"order_id": err.order_id}), 409

    @app.errorhandler(DuplicateSite)
    def duplicate_site(err: DuplicateSite):
        return error_body(409, "duplicate_site", f"Site {err.site_id} already exists; pick another site_id.",
                          ), 409

    @app.errorhandler(CancelRefused)
    def cancel_refused(err: CancelRefused):
        return error_body(409, "cancel_refused", f"Order {err.order_id} cannot be cancelled: {err.why}. "
                          "Arrange a return with the customer instead.", {"order_id": err.order_id}), 409

    @app.errorhandler(NotEnoughStock)
    def not_enough_stock(err: NotEnoughStock):
        short = ", ".join(f"{qty} x {sku}" for sku, qty in sorted(err.short.items()))
        return error_body(409, "not_enough_stock", f"Site {err.site_id} is short of {short}; "
                          "send less or transfer from another site.", {"short": err.short}), 409

    @app.errorhandler(UnknownOrder)
    def unknown_order(err: UnknownOrder):
        return error_body(404, "unknown_order", f"No order {err.order_id}; list orders with GET /api/v1/orders."), 404

    @app.errorhandler(UnknownSite)
    def unknown_site(err: UnknownSite):
        return error_body(422, "unknown_site", f"No site {err.site_id}; register it with POST /api/v1/sites or "
                          "correct the site id.", {"site_id": err.site_id}), 422

    @app.before_request
    def require_json_body():
        if request.path in NON_JSON_BODY_PATHS:
            return  # these views read CSV or multipart bodies and check the content type themselves
        if request.method in ("POST", "PUT", "PATCH") and request.path.startswith("/api/") and not request.is_json:
            code = 415
            raise ApiError(code, *GENERIC[code])
