"""Read the hot handheld bodies (pick, location scan) without marshmallow when they are plainly valid.

A picker's confirmation is the busiest request of the site, and loading it through webargs and marshmallow cost
more than the pick itself. A fast reader here accepts only bodies the schema would accept, giving the same data;
anything it is unsure of (a missing or odd field, a wrong type, a date) goes through the schema as before, so
every refusal keeps its exact answer. The schemas still document the endpoints.
"""
import json
import re
import uuid
from typing import Callable

from flask import request
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser, is_json_request

from ..schemas import LocationScanV1Schema, PickV1Schema

EXPIRY = re.compile(r"^(\d{6})?$")  # as PickV1Schema's validator matches it
_SCANNED_AT = PickV1Schema().fields["scanned_at"]


def _op_id(value) -> str | None:
    if type(value) is not str:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _text(value, longest: int, shortest: int = 0) -> bool:
    return type(value) is str and shortest <= len(value) <= longest


def _common(body: dict, data: dict) -> dict | None:
    """Check the fields shared by scans and picks; None when the schema has to judge."""
    if "scanned_at" in body:
        value = body["scanned_at"]
        if type(value) is not str:
            return None
        try:
            data["scanned_at"] = _SCANNED_AT.deserialize(value).isoformat()
        except Exception:  # noqa: BLE001 - any doubt: the schema gives the proper answer
            return None
    if "lease_epoch" in body:
        if type(body["lease_epoch"]) is not int or body["lease_epoch"] < 0:
            return None
        data["lease_epoch"] = body["lease_epoch"]
    return data


SCAN_FIELDS = frozenset({"op_id", "barcode", "scanned_at", "lease_epoch"})
PICK_FIELDS = frozenset({"op_id", "barcode", "qty", "scanned_at", "lease_epoch", "lot", "serial", "expiry",
                         "qty_confirmed"})


def read_location_scan(body) -> dict | None:
    """Return LocationScanV1Schema's data for a plainly valid body, else None."""
    if type(body) is not dict or not body.keys() <= SCAN_FIELDS:
        return None
    op_id, barcode = _op_id(body.get("op_id")), body.get("barcode")
    if op_id is None or not _text(barcode, 128, 1):
        return None
    return _common(body, {"op_id": op_id, "barcode": barcode})


def read_pick(body) -> dict | None:
    """Return PickV1Schema's data for a plainly valid body, else None."""
    if type(body) is not dict or not body.keys() <= PICK_FIELDS:
        return None
    op_id, barcode, qty = _op_id(body.get("op_id")), body.get("barcode", ""), body.get("qty")
    if op_id is None or not _text(barcode, 128) or type(qty) is not int or not 1 <= qty <= 100_000:
        return None
    qty_confirmed = body.get("qty_confirmed", False)
    if type(qty_confirmed) is not bool:  # the schema also takes "true", 1 ...: it judges those
        return None
    data = {"op_id": op_id, "barcode": barcode, "qty": qty, "lot": "", "serial": "", "expiry": "",
            "qty_confirmed": qty_confirmed}
    for name in ("lot", "serial"):
        if name in body:
            if not _text(body[name], 20):
                return None
            data[name] = body[name]
    if "expiry" in body:
        if type(body["expiry"]) is not str or not EXPIRY.match(body["expiry"]):
            return None
        data["expiry"] = body["expiry"]
    return _common(body, data)


FAST_READERS: dict[type, Callable] = {PickV1Schema: read_pick, LocationScanV1Schema: read_location_scan}


class LeanParser(FlaskParser):
    """webargs' Flask parser, with the fast readers tried first for the JSON bodies that have one."""

    def parse(self, argmap, req=None, *, location=None, **kwargs):
        reader = FAST_READERS.get(argmap if isinstance(argmap, type) else type(argmap))
        req = req if req is not None else request
        if reader is not None and location == "json" and is_json_request(req):
            try:
                body = json.loads(req.get_data(cache=True).decode("utf-8"))
            except ValueError:  # bad JSON or bad UTF-8: the schema path gives the usual answer
                body = None
            data = reader(body) if body is not None else None
            if data is not None:
                return data
        return super().parse(argmap, req, location=location, **kwargs)


class LeanBlueprint(Blueprint):
    """A flask-smorest blueprint whose @arguments use the LeanParser."""

    ARGUMENTS_PARSER = LeanParser()
