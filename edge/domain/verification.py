"""Verification profiles: which scans a pick needs, set by the site lead per site, zone and item class.

A profile lists what the picker must scan or confirm: `location` (the location label, before the item),
`item` (the item's barcode), `lot`, `expiry`, `serial` (from the item's GS1 label: AI 10, 17, 21) and `quantity`
(type the count rather than accept the default of one per scan). The profile of a pick is the most specific one
set: the item's class, else the location's zone, else the site default, else DEFAULT_REQUIRES. An item's own
tracking (lot, lot_expiry, serial) always adds its AIs, and a lot, expiry or serial is read from the item's
label, so requiring any of them requires the item scan too.
"""
from dataclasses import dataclass, field

from .catalogue import TRACKING_AIS
from .errors import DomainError

SCANS = ("location", "item", "lot", "expiry", "serial", "quantity")
DEFAULT_REQUIRES = frozenset({"location", "item"})
SITE, ZONE, ITEM_CLASS = "site", "zone", "item_class"
SCOPES = (SITE, ZONE, ITEM_CLASS)
NAMES = {"location": "location label", "item": "item barcode", "lot": "lot", "expiry": "expiry date",
         "serial": "serial number", "quantity": "quantity"}


@dataclass(frozen=True)
class Profile:
    scope: str
    name: str  # "" for the site default; the zone or the item class otherwise
    requires: frozenset[str]


@dataclass(frozen=True)
class Profiles:
    """Every profile of the site and every item's class, as one value readers can cache."""

    profiles: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    item_classes: dict[str, str] = field(default_factory=dict)

    @property
    def by_zone(self) -> bool:
        """Say whether any profile is set per zone (else the zone need not be looked up)."""
        return any(scope == ZONE for scope, _ in self.profiles)

    def resolve(self, sku: str, zone: str) -> Profile:
        """Return the most specific profile for the item at a location in `zone`."""
        item_class = self.item_classes.get(sku, "")
        for scope, name in ((ITEM_CLASS, item_class), (ZONE, zone), (SITE, "")):
            if (scope != SITE and not name) or (scope, name) not in self.profiles:
                continue
            return Profile(scope, name, self.profiles[scope, name])
        return Profile("default", "", DEFAULT_REQUIRES)


def required_scans(profile: Profile, tracking: str) -> frozenset[str]:
    """Return what a pick needs under the profile and the item's own tracking."""
    needs = set(profile.requires) | set(TRACKING_AIS.get(tracking, ()))
    if needs & {"lot", "expiry", "serial"}:
        needs.add("item")
    return frozenset(needs)


class ScanRequired(DomainError):
    code = "scan_required"

    def __init__(self, missing: list[str]):
        names = " and ".join(NAMES[m] for m in missing)
        if missing == ["quantity"]:
            text = "This pick needs the quantity confirmed: type how many you took, then confirm."
        elif "location" in missing:
            text = "This pick needs the location label scanned first: scan it, then the item."
        else:
            text = f"This pick needs the {names} scanned: scan the item's label, then confirm."
        super().__init__(text)
        self.missing = missing


class BadProfile(DomainError):
    code = "bad_profile"


def missing_scans(needs: frozenset[str], *, at_location: bool, barcode: str, lot: str, expiry: str, serial: str,
                  qty_confirmed: bool) -> list[str]:
    """Return what the pick request lacks of what it needs, in SCANS order (empty: nothing)."""
    have = {"location": at_location, "item": bool(barcode), "lot": bool(lot), "expiry": bool(expiry),
            "serial": bool(serial), "quantity": qty_confirmed}
    return [scan for scan in SCANS if scan in needs and not have[scan]]


def check_profile(scope: str, name: str, requires: list[str]) -> Profile:
    """Validate a profile the lead sets; refuse an unknown scope or scan, or a named site / nameless zone."""
    if scope not in SCOPES:
        raise BadProfile(f"Unknown scope {scope}: use one of {', '.join(SCOPES)}.")
    if (scope == SITE) != (not name):
        raise BadProfile("The site default has no name; a zone or item class profile needs one.")
    unknown = sorted(set(requires) - set(SCANS))
    if unknown:
        raise BadProfile(f"Unknown scan {', '.join(unknown)}: use {', '.join(SCANS)}.")
    return Profile(scope, name, frozenset(requires))
