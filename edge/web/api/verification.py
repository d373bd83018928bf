"""Verification profiles, item classes, lot rules and expired stock over the API (lead login).

These endpoints authorise by the dashboard's session cookie, so their PUTs, POSTs and DELETEs need the CSRF token
(X-CSRFToken header), like the counts endpoints of the lead.
"""
from flask.views import MethodView
from flask_smorest import Blueprint

from edge.adapters import lot_queries
from edge.service.verification_commands import (DeleteVerificationProfile, QuarantineExpired, SetItemClass,
                                                SetLotPolicy, SetVerificationProfile)
from sync.sqlite_store import read_connection

from ..staff_auth import current_staff, staff_required
from . import services
from .verification_schemas import (ItemClassV1Schema, LotPolicyV1Schema, ProfileV1Schema, QuarantineV1Schema,
                                   ProfileRemovalV1Schema)

lead = Blueprint("verification_lead", __name__,
                 description="Which scans each pick needs, per site, zone and item class; lot rules (lead login)")
SCOPE = "<any(site):scope>"
NAMED = "<any(zone, item_class):scope>/<name>"


def _overview() -> dict:
    with read_connection(services().db_path) as conn:
        return {"profiles": lot_queries.profiles(conn), "item_classes": lot_queries.item_classes(conn),
                "lot_policy": lot_queries.lot_policy(conn)}


@lead.route("/verification-profiles")
class Profiles(MethodView):
    @staff_required("floor")
    @lead.response(200)
    def get(self):
        """List the profiles (most specific first), the item classes and the lot rules."""
        return _overview()


def _set(scope: str, name: str, body: dict) -> dict:
    return services().bus.handle(SetVerificationProfile(scope, name, tuple(body["requires"]),
                                                        current_staff().username, body["reason"]))


def _delete(scope: str, name: str, body: dict) -> dict:
    return services().bus.handle(DeleteVerificationProfile(scope, name, current_staff().username, body["reason"]))


@lead.route(f"/verification-profiles/{SCOPE}")
class SiteProfile(MethodView):
    @staff_required("floor")
    @lead.arguments(ProfileV1Schema)
    @lead.response(200)
    def put(self, body, scope):
        """Set the site default profile."""
        return _set(scope, "", body)

    @staff_required("floor")
    @lead.arguments(ProfileRemovalV1Schema)
    @lead.response(200)
    def delete(self, body, scope):
        """Remove the site default: picks fall back to location + item."""
        return _delete(scope, "", body)


@lead.route(f"/verification-profiles/{NAMED}")
class NamedProfile(MethodView):
    @staff_required("floor")
    @lead.arguments(ProfileV1Schema)
    @lead.response(200)
    def put(self, body, scope, name):
        """Set the profile of a zone or an item class."""
        return _set(scope, name, body)

    @staff_required("floor")
    @lead.arguments(ProfileRemovalV1Schema)
    @lead.response(200)
    def delete(self, body, scope, name):
        """Remove the profile of a zone or an item class."""
        return _delete(scope, name, body)


@lead.route("/item-classes/<sku>")
class ItemClass(MethodView):
    @staff_required("floor")
    @lead.arguments(ItemClassV1Schema)
    @lead.response(200)
    def put(self, body, sku):
        """Put an item in a class (item-class profiles key on it); an empty class takes it out."""
        return services().bus.handle(SetItemClass(sku, body["item_class"], current_staff().username))


@lead.route("/lot-policy")
class LotPolicy(MethodView):
    @staff_required("floor")
    @lead.response(200)
    def get(self):
        """Show the lot rules: lot substitution and the site's time zone."""
        with read_connection(services().db_path) as conn:
            return lot_queries.lot_policy(conn)

    @staff_required("floor")
    @lead.arguments(LotPolicyV1Schema)
    @lead.response(200)
    def put(self, body):
        """Set the lot rules."""
        return services().bus.handle(SetLotPolicy(body["substitution"], body["timezone"], current_staff().username,
                                                  body["reason"]))


@lead.route("/expired-stock")
class ExpiredStock(MethodView):
    @staff_required("floor")
    @lead.response(200)
    def get(self):
        """List stock on the shelves whose lot has expired (never picked): move it to quarantine."""
        with read_connection(services().db_path) as conn:
            today = lot_queries.site_day(conn)
            return {"today": today, "expired": lot_queries.expired_stock(conn, today)}


@lead.route("/expired-stock/quarantine")
class Quarantine(MethodView):
    @staff_required("floor")
    @lead.arguments(QuarantineV1Schema)
    @lead.response(200)
    def post(self, body):
        """Move all of an expired lot at a location into quarantine (QUAR); audited, synced as stock.changed."""
        return services().bus.handle(QuarantineExpired(body["location"], body["sku"], body["lot"],
                                                       current_staff().username, body["reason"]))
