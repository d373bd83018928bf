"""Network inventory across sites, and reconciliation of a site's own stock export with the centre's ledger."""
from datetime import datetime, timezone

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from central.adapters import inventory_queries, queries
from central.domain.reconciliation import reconcile
from central.service.commands import RecordStockSnapshot
from central.web.errors import ApiError
from central.web.runtime import read, services

from .schemas import CODE, StrictSchema

blp = Blueprint("inventory", __name__, url_prefix="/api/v1", description="Network inventory and reconciliation")


class InventoryFilterSchema(StrictSchema):
    sku = fields.String(validate=CODE)
    site = fields.String(validate=CODE)


class NetworkStockRowSchema(Schema):
    site_id = fields.String()
    location = fields.String()
    sku = fields.String()
    lot = fields.String()
    qty = fields.Integer(metadata={"description": "on hand here: the sum of the site's stock deltas"})


class NetworkTotalsSchema(Schema):
    sku = fields.String()
    on_hand = fields.Integer(metadata={"description": "over every location but PACK"})
    in_pack = fields.Integer(metadata={"description": "picked, at PACK, waiting to ship"})
    allocated = fields.Integer(metadata={"description": "still to pick on open orders at the site"})
    available = fields.Integer(metadata={"description": "on_hand - allocated"})
    in_transit = fields.Integer(metadata={"description": "inbound on transfers shipped and not yet received"})


class SiteTotalsSchema(NetworkTotalsSchema):
    site_id = fields.String()


class InventorySchema(Schema):
    rows = fields.List(fields.Nested(NetworkStockRowSchema))
    by_site = fields.List(fields.Nested(SiteTotalsSchema))
    network = fields.List(fields.Nested(NetworkTotalsSchema))


class SnapshotRowSchema(StrictSchema):
    location = fields.String(required=True, validate=CODE)
    sku = fields.String(required=True, validate=CODE)
    lot = fields.String(load_default="", validate=validate.Length(max=64))
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=-10**9, max=10**9))


class SnapshotInSchema(StrictSchema):
    taken_at = fields.AwareDateTime(required=True,
                                    metadata={"description": "when the site took it (ISO 8601, with offset)"})
    stock = fields.List(fields.Nested(SnapshotRowSchema), required=True, validate=validate.Length(max=100_000))


class LedgerEventSchema(Schema):
    epoch = fields.Integer()
    seq = fields.Integer()
    occurred_at = fields.String()
    received_at = fields.String()
    qty_delta = fields.Integer()
    reason = fields.String()
    ref = fields.String()
    applied = fields.Boolean(metadata={"description": "false: set aside by the centre, not counted"})
    set_aside_because = fields.String(allow_none=True)
    running_qty = fields.Integer(metadata={"description": "the ledger's qty after this event"})


class DiscrepancySchema(Schema):
    location = fields.String()
    sku = fields.String()
    lot = fields.String()
    site_qty = fields.Integer()
    central_qty = fields.Integer()
    central_qty_at_snapshot = fields.Integer(metadata={"description": "the ledger counting events up to taken_at"})
    difference = fields.Integer(metadata={"description": "central_qty - site_qty"})
    explanation = fields.String()
    events = fields.List(fields.Nested(LedgerEventSchema))


class ReconciliationSchema(Schema):
    site_id = fields.String()
    snapshot_id = fields.Integer()
    taken_at = fields.String()
    compared_at = fields.String()
    rows_compared = fields.Integer()
    matching = fields.Integer()
    discrepancies = fields.List(fields.Nested(DiscrepancySchema))


@blp.route("/inventory")
class Inventory(MethodView):
    @blp.arguments(InventoryFilterSchema, location="query", unknown="raise")
    @blp.response(200, InventorySchema)
    def get(self, args):
        """Show stock per site, location, item and lot, with allocated, available and in-transit per site and item."""
        return read(inventory_queries.network_inventory, args.get("site"), args.get("sku"))


def _report(conn, site_id: str, snapshot: dict) -> dict:
    counted = {(r["location"], r["sku"], r["lot"]): r["qty"] for r in snapshot["rows"]}
    ledger = inventory_queries.ledger_qty(conn, site_id)
    found = reconcile(counted, ledger, lambda key: inventory_queries.ledger_events(conn, site_id, *key),
                      snapshot["taken_at"])
    keys = set(counted) | set(ledger)
    return {"site_id": site_id, "snapshot_id": snapshot["snapshot_id"], "taken_at": snapshot["taken_at"],
            "compared_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "rows_compared": len(keys), "matching": len(keys) - len(found),
            "discrepancies": [dict(vars(d), difference=d.difference) for d in found]}


def _known_site(site_id: str) -> None:
    if read(queries.get_site, site_id) is None:
        raise ApiError(404, "unknown_site", f"No site {site_id}; register it with POST /api/v1/sites.")


@blp.route("/sites/<site_id>/reconciliation")
class Reconciliation(MethodView):
    @blp.response(200, ReconciliationSchema)
    def get(self, site_id):
        """Compare the site's latest stock snapshot with the centre's ledger as it is now."""
        _known_site(site_id)
        snapshot = read(inventory_queries.latest_snapshot, site_id)
        if snapshot is None:
            raise ApiError(404, "no_snapshot", f"No stock snapshot from {site_id} yet; POST the site's stock export "
                           f"to /api/v1/sites/{site_id}/reconciliation.")
        return read(_report, site_id, snapshot)

    @blp.arguments(SnapshotInSchema)
    @blp.response(201, ReconciliationSchema)
    def post(self, body, site_id):
        """Take the site's own stock export, keep it, and answer with the reconciliation report.

        Each discrepancy lists the ledger's stock events for that location, sku and lot (seq, time,
        delta, running qty) and explains the difference."""
        _known_site(site_id)
        rows = {}
        for row in body["stock"]:
            key = (row["location"], row["sku"], row["lot"])
            if key in rows:
                raise ApiError(422, "duplicate_row", f"{key[0]} / {key[1]} / lot {key[2]!r} appears twice; "
                               "send one row per location, sku and lot.")
            rows[key] = row
        try:
            taken_at = body["taken_at"].astimezone(timezone.utc).isoformat(timespec="milliseconds")
        except OverflowError:  # e.g. 0001-01-01T00:00+01:00 has no UTC time
            raise ApiError(422, "bad_taken_at", "taken_at is outside the dates a stock snapshot can have; "
                           "send the time the site took its stock export.") from None
        services().bus.handle(RecordStockSnapshot(site_id, taken_at, list(rows.values())))
        return read(_report, site_id, read(inventory_queries.latest_snapshot, site_id))
