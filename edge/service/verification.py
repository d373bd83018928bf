"""Handlers for the lead's verification profiles, item classes and lot policy; each one audited transaction."""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from edge.domain.errors import DomainError
from edge.domain.lots import SUBSTITUTION_RULES, BadTimezone, LotPolicy
from edge.domain.verification import BadProfile, Profiles, check_profile

from .unit_of_work import UnitOfWork
from .verification_commands import DeleteVerificationProfile, SetItemClass, SetLotPolicy, SetVerificationProfile


class UnknownProfile(DomainError):
    code = "unknown_profile"

    def __init__(self, scope: str, name: str):
        super().__init__(f"No {scope} profile {name or '(site default)'} is set. Reload the page.")


def set_verification_profile(cmd: SetVerificationProfile, uow: UnitOfWork) -> dict:
    """Save the profile; picks confirmed from now on need exactly its scans."""
    profile = check_profile(cmd.scope, cmd.name.strip(), list(cmd.requires))
    with uow:
        uow.verification.save(profile, cmd.actor, uow.now())
        uow.audit.record(cmd.actor, "verification_profile.set", f"verification:{profile.scope}:{profile.name}",
                         cmd.reason, {"requires": sorted(profile.requires)})
        uow.commit()
        view = profiles_view(uow.verification.profiles(), uow.lots.policy())
    return {**view, "message": f"Profile {_label(profile.scope, profile.name)} saved: picks need "
                               f"{', '.join(sorted(profile.requires)) or 'no scans'}."}


def delete_verification_profile(cmd: DeleteVerificationProfile, uow: UnitOfWork) -> dict:
    """Remove a profile; its picks fall back to the next less specific one."""
    with uow:
        if not uow.verification.delete(cmd.scope, cmd.name):
            raise UnknownProfile(cmd.scope, cmd.name)
        uow.audit.record(cmd.actor, "verification_profile.deleted", f"verification:{cmd.scope}:{cmd.name}",
                         cmd.reason)
        uow.commit()
        view = profiles_view(uow.verification.profiles(), uow.lots.policy())
    return {**view, "message": f"Profile {_label(cmd.scope, cmd.name)} removed."}


def set_item_class(cmd: SetItemClass, uow: UnitOfWork) -> dict:
    """Put the item in a class (item-class profiles key on it), or take it out with an empty class."""
    item_class = cmd.item_class.strip()
    with uow:
        if uow.items.get(cmd.sku) is None:
            raise BadProfile(f"No item {cmd.sku} at this site. Check the sku.")
        uow.verification.set_item_class(cmd.sku, item_class)
        uow.audit.record(cmd.actor, "item_class.set", f"item:{cmd.sku}", "", {"item_class": item_class})
        uow.commit()
    return {"sku": cmd.sku, "item_class": item_class,
            "message": f"{cmd.sku} is now in class {item_class}." if item_class else f"{cmd.sku} has no class now."}


def set_lot_policy(cmd: SetLotPolicy, uow: UnitOfWork) -> dict:
    """Set whether pickers may substitute a lot, and the time zone whose calendar day decides expiry."""
    if cmd.substitution not in SUBSTITUTION_RULES:
        raise BadProfile(f"Unknown substitution rule {cmd.substitution}: use {' or '.join(SUBSTITUTION_RULES)}.")
    try:
        ZoneInfo(cmd.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadTimezone(cmd.timezone) from None
    policy = LotPolicy(cmd.substitution, cmd.timezone)
    with uow:
        uow.lots.save_policy(policy)
        uow.audit.record(cmd.actor, "lot_policy.set", "lot_policy", cmd.reason,
                         {"substitution": policy.substitution, "timezone": policy.timezone})
        uow.commit()
    return {"substitution": policy.substitution, "timezone": policy.timezone, "message": "Lot rules saved."}


def profiles_view(profiles: Profiles, policy: LotPolicy) -> dict:
    """Describe every profile, most specific scope first, with the item classes and the lot rules."""
    order = {"item_class": 0, "zone": 1, "site": 2}
    rows = sorted(profiles.profiles.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))
    return {"profiles": [{"scope": scope, "name": name, "requires": sorted(requires)}
                         for (scope, name), requires in rows],
            "item_classes": [{"sku": sku, "item_class": cls} for sku, cls in sorted(profiles.item_classes.items())],
            "lot_policy": {"substitution": policy.substitution, "timezone": policy.timezone}}


def _label(scope: str, name: str) -> str:
    return "site default" if scope == "site" else f"{scope.replace('_', ' ')} {name}"
