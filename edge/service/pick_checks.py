"""What a pick checks before it takes stock: the verification profile's scans, then the lot rules (FEFO, expiry).

Called by confirm_pick (and any flow confirming over the same path) so every pick obeys one set of rules.
The profile lookup is cached by the profiles' version, so the hot path adds one small read.
"""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from edge.domain.barcodes import matches_item
from edge.domain.catalogue import Item, Location, Traced
from edge.domain.errors import TrackingRequired
from edge.domain.lots import BadExpiry, LotAtLocation, expiry_date, lot_to_take, substitutes
from edge.domain.picking import PickTask
from edge.domain.verification import ScanRequired, missing_scans, required_scans
from protocols.status import TASK_ASSIGNED, TASK_AT_LOCATION

from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class CheckedPick:
    barcode: str     # the item scan to match (the sku itself when the profile does not ask for one)
    stock_lot: str   # the lot whose stock the pick takes
    on_hand: int     # what that lot holds at the location


def needs_for(uow: UnitOfWork, task: PickTask, item: Item, zone: str | None = None) -> frozenset[str]:
    """Return the scans a pick of this task needs (profile by item class, zone, site; plus the item's tracking)."""
    profiles = uow.verification.profiles()
    if zone is None and profiles.by_zone:  # the hot path skips this read while no zone has a profile
        location = uow.locations.get(task.location)
        zone = location.zone if location else ""
    return required_scans(profiles.resolve(task.sku, zone or ""), item.tracking)


def check_pick(uow: UnitOfWork, task: PickTask, item: Item, cmd) -> CheckedPick:
    """Refuse a pick that lacks a scan its profile needs or would take expired or out-of-FEFO stock."""
    task.check_worker(cmd.badge)
    needs = needs_for(uow, task, item)
    if "location" not in needs and task.status == TASK_ASSIGNED:
        task.status = TASK_AT_LOCATION  # this profile does not ask for the location label
    barcode = cmd.barcode if cmd.barcode.strip() else task.sku
    if task.status != TASK_AT_LOCATION or not matches_item(barcode, item.sku, item.gtins):
        # The pick refuses these itself (scan_location_first; wrong_item, counted) before anything else.
        return CheckedPick(barcode, task.lot, uow.stock.on_hand(task.location, task.sku, task.lot))
    tracked = item.missing(Traced(cmd.lot, cmd.serial, cmd.expiry))
    if tracked:  # what the item's own tracking needs keeps its own refusal
        raise TrackingRequired(item.sku, tracked)
    missing = missing_scans(needs - {"location"}, at_location=True, barcode=cmd.barcode.strip(), lot=cmd.lot,
                            expiry=cmd.expiry, serial=cmd.serial, qty_confirmed=cmd.qty_confirmed)
    if missing:
        raise ScanRequired(missing)
    if cmd.expiry and not expiry_date(cmd.expiry):
        raise BadExpiry(cmd.expiry)
    if not (task.lot or cmd.expiry):
        return CheckedPick(barcode, task.lot, uow.stock.on_hand(task.location, task.sku, task.lot))
    policy = uow.lots.policy()
    allocated = (uow.lots.at_location(task.location, task.sku, task.lot)
                 or LotAtLocation(task.lot, "", 0))
    found = (uow.lots.at_location(task.location, task.sku, cmd.lot)
             if task.lot and cmd.lot and cmd.lot != task.lot else None)
    taken = lot_to_take(task.sku, task.location, allocated, cmd.lot, cmd.expiry, found, policy,
                        site_today(uow.now(), policy.timezone))
    return CheckedPick(barcode, taken.lot, taken.on_hand)


def pick_checks_view(uow: UnitOfWork, task: PickTask, location: Location | None, item: Item | None) -> dict:
    """Return what the handheld needs to ask for exactly the profile's scans and check the lot offline."""
    item = item or Item(task.sku)
    needs = needs_for(uow, task, item, location.zone if location else "")
    view = {"requires": [scan for scan in ("location", "item", "lot", "expiry", "serial", "quantity")
                         if scan in needs], "lot": task.lot, "lot_expiry": "", "lot_substitutes": []}
    if "location" not in needs and task.status == TASK_ASSIGNED:
        view["next_step"] = "scan_item"
    if task.lot:
        policy = uow.lots.policy()
        allocated = uow.lots.at_location(task.location, task.sku, task.lot) or LotAtLocation(task.lot, "", 0)
        view["lot_expiry"] = allocated.expiry
        view["lot_substitutes"] = substitutes(allocated, uow.lots.lots_at(task.location, task.sku), policy,
                                              site_today(uow.now(), policy.timezone))
    return view


def site_today(now: str, timezone: str) -> str:
    """Return the site's calendar day (ISO date) at the edge clock's `now`."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # the policy is checked when set; an unknown zone here must not stop picking
    return datetime.fromisoformat(now).astimezone(zone).date().isoformat()
