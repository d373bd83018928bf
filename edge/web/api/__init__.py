"""Blueprints of the handheld API: parse the request, build a command, hand it to the bus, answer."""
from flask import current_app, g, request
from flask_smorest import Blueprint

from edge.adapters.auth_cache import TokenLookups, token_lookups
from edge.domain.enrolment import device_token_site
from edge.domain.errors import DeviceMismatch, DeviceNotEnrolled, DeviceOfOtherSite, DeviceRevoked
from edge.service.outcomes import Outcome
from sync.sqlite_store import read_connection

from ..errors import ApiRefusal
from .lean_args import LeanBlueprint


def services():
    return current_app.extensions["wes_edge"]


def answer(outcome: Outcome):
    """Send a handler's outcome, saying when it is the stored answer to a replayed op_id."""
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return outcome.body, outcome.status, headers


def read_query(query, *args):
    """Run a read-only query function (conn, *args) on the site database."""
    with read_connection(services().db_path) as conn:
        return query(conn, *args)


def picker_and_device() -> tuple[str, str]:
    """Return the signed-in picker's badge and device id, as handheld commands take them."""
    return g.picker["badge"], g.picker["device_id"]


DEVICE_HEADER = "X-Device-Token"


def device_for_request(token: str, found, device_auth: str, lookups: TokenLookups) -> dict | None:
    """Find the enrolled device from its token (found: the app's EdgeServices); none: refused if required."""
    token = token.strip()
    if not token:
        if device_auth == "required":
            raise DeviceNotEnrolled()
        return None
    site = found.site_id
    token_site = device_token_site(token)
    if token_site and token_site != site:
        raise DeviceOfOtherSite(token_site, site)
    device = lookups.device(token)
    if device is None:
        raise DeviceNotEnrolled()
    if device["revoked_at"]:
        raise DeviceRevoked(device["device_id"])
    return device


def picker_for_request(authorization: str, device: dict | None, lookups: TokenLookups) -> dict:
    """Find the picker signed in with this bearer token, on this device."""
    scheme, _, token = authorization.partition(" ")
    picker = None
    if scheme.lower() == "bearer" and token.strip():
        picker = lookups.picker(token.strip())
    if picker is None:
        raise ApiRefusal(401, "not_signed_in", "You are not signed in or your session ended. "
                                               "Scan your badge and enter your PIN.")
    if device is not None and picker["device_id"] != device["device_id"]:
        raise DeviceMismatch()
    return picker


def require_device() -> None:
    """Find the enrolled device from its token; without one, refuse unless DEVICE_AUTH is "optional"."""
    g.device = None
    with token_lookups(services().db_path) as lookups:
        g.device = _request_device(lookups)


def require_picker() -> None:
    """Find the enrolled device and the signed-in picker, before anything in the request is read."""
    g.device = None
    with token_lookups(services().db_path) as lookups:  # one connection and one auth version read for both
        g.device = _request_device(lookups)
        g.picker = picker_for_request(request.headers.get("Authorization", ""), g.device, lookups)


def _request_device(lookups: TokenLookups) -> dict | None:
    return device_for_request(request.headers.get(DEVICE_HEADER, ""), services(),
                              current_app.config.get("DEVICE_AUTH", "required"), lookups)


def signed_in_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    """Make a blueprint whose every endpoint needs a signed-in picker (hot bodies read by lean_args)."""
    blp = LeanBlueprint(name, import_name, description=description)
    blp.before_request(require_picker)
    return blp
