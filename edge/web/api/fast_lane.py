"""Serve the handheld's three hottest calls (next task, location scan, pick) straight from WSGI when all is plain.

Every picker walks next task → location scan → one pick per unit all shift long, and Flask's request machinery
cost as much CPU as the pick itself. The fast lane answers such a call itself when nothing about it is unusual:
a known device and session, a plain JSON body the lean readers accept, the outbox not full. It builds the very
command the Flask view builds and answers with the same JSON, status and headers. Anything else (a refusal of
the caller, an odd body, a full outbox) steps aside to the Flask app, which answers as it always has; the views
and their schemas stay, so the OpenAPI document still describes these endpoints.
"""
import json
import logging
import re
from io import BytesIO

from flask import Flask
from werkzeug.http import HTTP_STATUS_CODES

from edge.adapters.auth_cache import token_lookups
from edge.domain.errors import DomainError
from edge.service.outcomes import Outcome, error_body, status_for

from ..errors import HTTP_ERRORS, SAFE_BRACKETS
from . import device_for_request, picker_for_request
from .lean_args import read_location_scan, read_pick
from .picking import location_scan_command, next_task_command, pick_command

log = logging.getLogger(__name__)

ROUTES = (("GET", re.compile(r"/api/v1/tasks/next"), "next"),
          ("POST", re.compile(r"/api/v1/tasks/([^/]+)/picks"), "pick"),
          ("POST", re.compile(r"/api/v1/tasks/([^/]+)/location-scan"), "scan"))
READERS = {"pick": read_pick, "scan": read_location_scan}
COMMANDS = {"pick": pick_command, "scan": location_scan_command}


class HandheldFastLane:
    """WSGI middleware in front of the edge app: the plain hot calls here, everything else to Flask."""

    def __init__(self, app: Flask):
        self.app, self.flask_wsgi = app, app.wsgi_app
        self.served = 0  # calls answered here (not exact under threads: a figure for people, not for logic)

    def __call__(self, environ, start_response):
        route = self._route(environ)
        if route is None:
            return self.flask_wsgi(environ, start_response)
        kind, task_id = route
        body = b""
        if kind != "next":
            length = environ.get("CONTENT_LENGTH") or ""
            if not length.isdigit() or int(length) > self.app.config["MAX_CONTENT_LENGTH"]:
                return self.flask_wsgi(environ, start_response)
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = BytesIO(body)  # read again by Flask if the lane steps aside
        elif environ.get("CONTENT_LENGTH") not in (None, "", "0"):
            return self.flask_wsgi(environ, start_response)
        answer = self._answer(kind, task_id, environ, body)
        if answer is None:
            return self.flask_wsgi(environ, start_response)
        status, payload, headers = answer
        self.served += 1
        if self.app.debug or self.app.json.compact is False:  # Flask indents then: let it build the response
            response = self.app.json.response(payload)
            response.status_code = status
            for name, value in headers.items():
                response.headers[name] = value
            return response(environ, start_response)
        # The same JSON text, status line and headers Flask's views send, without building a Response object.
        text = f"{self.app.json.dumps(payload, separators=(',', ':'))}\n".encode()
        start_response(f"{status} {HTTP_STATUS_CODES[status].upper()}",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(text))),
                        *headers.items()])
        return [text]

    @staticmethod
    def _route(environ) -> tuple[str, str] | None:
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
        for route_method, pattern, kind in ROUTES:
            if method == route_method and (found := pattern.fullmatch(path)):
                return kind, (found.group(1) if found.groups() else "")
        return None

    def _answer(self, kind: str, task_id: str, environ, body: bytes) -> tuple[int, dict, dict] | None:
        """Return (status, JSON body, headers), or None to let the Flask app answer."""
        services, config = self.app.extensions["wes_edge"], self.app.config
        try:
            with token_lookups(services.db_path) as lookups:
                device = device_for_request(environ.get("HTTP_X_DEVICE_TOKEN", ""), services,
                                            config.get("DEVICE_AUTH", "required"), lookups)
                picker = picker_for_request(environ.get("HTTP_AUTHORIZATION", ""), device, lookups)
        except Exception:  # noqa: BLE001 - a refused caller gets Flask's usual answer
            return None
        if kind == "next":
            if self.app.extensions["outbox_budget"].refuses_new_work():
                return None
            command = next_task_command(picker)
        else:
            data = self._read(kind, environ, body)
            if data is None:
                return None
            command = COMMANDS[kind](task_id, data, picker)
        try:
            result = services.bus.handle(command)
        except DomainError as err:  # as the app's handle_domain_error answers it
            status = status_for(err)
            return status, error_body(status, err.code, err.message), {}
        except Exception:  # noqa: BLE001 - as Flask answers an unhandled error: logged, the 500 shape
            log.exception("request failed: %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            code, message = HTTP_ERRORS[500]
            return 500, error_body(500, code, message), {}
        if isinstance(result, Outcome):
            return result.status, result.body, ({"Idempotent-Replayed": "true"} if result.replayed else {})
        return 200, result, {}

    @staticmethod
    def _read(kind: str, environ, body: bytes) -> dict | None:
        if environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() != "application/json":
            return None
        if body.count(b"[") + body.count(b"{") > SAFE_BRACKETS:
            return None  # the deep-JSON guard in the app decides
        try:
            parsed = json.loads(body.decode("utf-8"))
        except ValueError:
            return None
        return READERS[kind](parsed)


def install_fast_lane(app: Flask) -> None:
    """Put the fast lane in front of the app (HANDHELD_FAST_LANE, default on)."""
    if app.config.get("HANDHELD_FAST_LANE", True):
        app.wsgi_app = HandheldFastLane(app)
