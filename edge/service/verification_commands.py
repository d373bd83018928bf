"""Commands of the site lead for verification profiles, item classes and the site's lot rules."""
from dataclasses import dataclass

from .commands import Command


@dataclass(frozen=True)
class SetVerificationProfile(Command):
    """Set which scans a pick needs for the site default (scope site), a zone or an item class."""

    scope: str
    name: str
    requires: tuple[str, ...]
    actor: str = ""
    reason: str = ""


@dataclass(frozen=True)
class DeleteVerificationProfile(Command):
    scope: str
    name: str
    actor: str = ""
    reason: str = ""


@dataclass(frozen=True)
class SetItemClass(Command):
    """Put an item in a class (the key of item-class profiles); an empty class takes it out."""

    sku: str
    item_class: str
    actor: str = ""


@dataclass(frozen=True)
class SetLotPolicy(Command):
    substitution: str
    timezone: str
    actor: str = ""
    reason: str = ""


@dataclass(frozen=True)
class QuarantineExpired(Command):
    """Take an expired lot off its shelf into quarantine, where the lead decides to scrap or return it."""

    location: str
    sku: str
    lot: str
    actor: str = ""
    reason: str = ""
