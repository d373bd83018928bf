"""Turn every refusal, ours or the framework's, into the one JSON error shape with operator text."""
import json
import logging

from flask import request

from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from edge.domain.errors import DomainError
from edge.service.outcomes import error_body, status_for
from protocols.messages.api_error import ApiErrorV1Schema

log = logging.getLogger(__name__)

HTTP_ERRORS = {
    400: ("bad_request", "The request could not be read. Check it and send it again."),
    401: ("not_signed_in", "You are not signed in. Scan your badge and enter your PIN."),
    404: ("not_found", "There is no such page or endpoint. Check the address."),
    405: ("method_not_allowed", "This endpoint does not accept that method. Check the API documentation."),
    413: ("too_large", "The request is larger than 256 KB. Send less data in one request."),
    422: ("invalid_input", "Some fields are missing or wrong. Correct them and send again."),
    500: ("internal_error", "Something went wrong on the site server. Try again; if it persists, call your lead."),
}


class ApiRefusal(Exception):
    """Refuse a request at the API edge (for example, no valid session)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


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
            raise ApiRefusal(400, "bad_json", "The JSON body is nested too deeply. Send a flat JSON object.") from None
        except ValueError:
            pass  # ordinary malformed JSON is reported by the argument parser with its usual answer


class EdgeApi(Api):
    """flask-smorest's Api with our error shape for its validation and HTTP errors."""

    ERROR_SCHEMA = ApiErrorV1Schema

    def handle_http_exception(self, error: HTTPException):
        code, message = HTTP_ERRORS.get(error.code, ("http_error", error.description or error.name))
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or data.get("messages")
        if error.code == 400 and errors == {"json": ["Invalid JSON body."]}:
            code, message, errors = "bad_json", "The request body is not valid JSON. Send a JSON object.", None
        if error.code == 422 and isinstance(errors, dict) and set(errors) == {"json"}:
            errors = errors["json"]  # one location only: spare the client a level of nesting
        if error.code >= 500:
            log.error("request failed: %s", error)
        return error_body(error.code, code, message, errors), error.code, data.get("headers", {})


def handle_domain_error(err: DomainError):
    status = status_for(err)
    return error_body(status, err.code, err.message), status


def handle_api_refusal(err: ApiRefusal):
    return error_body(err.status, err.code, err.message), err.status
