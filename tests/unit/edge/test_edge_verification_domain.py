"""Verification profiles resolve most specific first and add what the item's tracking needs (issue 9)."""
import pytest

from edge.domain.verification import (DEFAULT_REQUIRES, BadProfile, Profile, Profiles, ScanRequired, check_profile,
                                      missing_scans, required_scans)

PROFILES = Profiles({("site", ""): frozenset({"location", "item", "quantity"}), ("zone", "COLD"): frozenset({"item"}),
                     ("item_class", "pharma"): frozenset({"location", "item", "lot", "expiry"})},
                    {"SKU-EYE-DROPS": "pharma"})


@pytest.mark.parametrize("sku, zone, scope, name", [
    ("SKU-EYE-DROPS", "COLD", "item_class", "pharma"),
    ("SKU-KETTLE", "COLD", "zone", "COLD"),
    ("SKU-KETTLE", "A", "site", ""),
])
def test_item_class_beats_zone_beats_site(sku, zone, scope, name):
    profile = PROFILES.resolve(sku, zone)
    assert (profile.scope, profile.name) == (scope, name)


def test_with_nothing_set_a_pick_needs_the_location_and_the_item():
    assert Profiles().resolve("SKU-KETTLE", "A") == Profile("default", "", DEFAULT_REQUIRES)
    assert not Profiles().by_zone and PROFILES.by_zone


def test_tracking_adds_its_label_fields_and_any_label_field_needs_the_item_scan():
    assert required_scans(Profile("zone", "COLD", frozenset()), "lot_expiry") == {"item", "lot", "expiry"}
    assert required_scans(Profile("site", "", frozenset({"serial"})), "none") == {"item", "serial"}


def test_missing_scans_come_in_the_order_the_picker_does_them():
    needs = frozenset({"item", "lot", "quantity"})
    assert missing_scans(needs, at_location=True, barcode="", lot="", expiry="", serial="",
                         qty_confirmed=False) == ["item", "lot", "quantity"]
    assert "lot" in ScanRequired(["item", "lot"]).message


@pytest.mark.parametrize("scope, name, requires", [("site", "X", ["item"]), ("zone", "", ["item"]),
                                                   ("aisle", "A", []), ("zone", "A", ["colour"])])
def test_a_profile_with_a_bad_scope_name_or_scan_is_refused(scope, name, requires):
    with pytest.raises(BadProfile):
        check_profile(scope, name, requires)
