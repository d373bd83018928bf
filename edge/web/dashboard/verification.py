"""Scans & lots: the verification profiles per site, zone and item class, item classes, lot rules, expired stock."""
from flask import request

from edge.adapters import lot_queries
from edge.domain.verification import SCANS
from edge.service.verification_commands import (DeleteVerificationProfile, QuarantineExpired, SetItemClass,
                                                SetLotPolicy, SetVerificationProfile)

from ..staff_auth import staff_required
from . import dashboard
from .reads import actor, form, page, reading, run_action

BACK = "dashboard.verification"


def expired_on_shelves(conn) -> list[dict]:
    """Return expired lots still on shelves, judged by the site's calendar day."""
    return lot_queries.expired_stock(conn, lot_queries.site_day(conn))


def render_verification(error: str = ""):
    with reading() as conn:
        policy, today = lot_queries.lot_policy(conn), lot_queries.site_day(conn)
        return page("verification.html", profiles=lot_queries.profiles(conn), classes=lot_queries.item_classes(conn),
                    zones=lot_queries.zones(conn), policy=policy, scans=SCANS, today=today,
                    expired=lot_queries.expired_stock(conn, today), error=error)


@dashboard.get("/verification")
@staff_required("floor")
def verification():
    """Show which scans picks need where, the item classes, the lot rules and expired stock."""
    return render_verification()


@dashboard.post("/verification/profiles")
@staff_required("floor")
def set_profile():
    """Set a profile: the scans ticked are what a pick under it needs."""
    requires = tuple(scan for scan in request.form.getlist("requires") if scan)
    return run_action(SetVerificationProfile(form("scope"), form("name") if form("scope") != "site" else "",
                                             requires, actor(), form("reason")), BACK, render_verification)


@dashboard.post("/verification/profiles/delete")
@staff_required("floor")
def delete_profile():
    """Remove a profile; its picks fall back to the next less specific one."""
    return run_action(DeleteVerificationProfile(form("scope"), form("name"), actor(), form("reason")), BACK,
                      render_verification)


@dashboard.post("/verification/item-classes")
@staff_required("floor")
def set_item_class():
    """Put an item in a class (empty: take it out)."""
    return run_action(SetItemClass(form("sku"), form("item_class"), actor()), BACK, render_verification)


@dashboard.post("/verification/lot-policy")
@staff_required("floor")
def set_lot_policy():
    """Set whether pickers may take another lot, and the site's time zone."""
    return run_action(SetLotPolicy(form("substitution"), form("timezone"), actor(), form("reason")), BACK,
                      render_verification)


@dashboard.post("/verification/expired/quarantine")
@staff_required("floor")
def quarantine_expired():
    """Move an expired lot from its shelf into quarantine."""
    return run_action(QuarantineExpired(form("location"), form("sku"), form("lot"), actor(), form("reason")), BACK,
                      render_verification)
