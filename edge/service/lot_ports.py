"""The repository roles lot-aware picking and verification profiles use (uow.lots, uow.verification)."""
from typing import Protocol

from edge.domain.lots import LotAtLocation, LotPolicy
from edge.domain.verification import Profile, Profiles


class LotRepository(Protocol):
    def policy(self) -> LotPolicy: ...
    def save_policy(self, policy: LotPolicy) -> None: ...
    def at_location(self, location: str, sku: str, lot: str) -> LotAtLocation | None:
        """Return the lot's stock at the location with its expiry from the lot register, or None if never held."""
    def lots_at(self, location: str, sku: str) -> list[LotAtLocation]:
        """Return every lot of the sku the location holds now, with its expiry."""


class VerificationRepository(Protocol):
    def profiles(self) -> Profiles:
        """Return every profile and item class; cheap on the hot path (cached until one changes)."""
    def save(self, profile: Profile, actor: str, at: str) -> None: ...
    def delete(self, scope: str, name: str) -> bool: ...
    def set_item_class(self, sku: str, item_class: str) -> None:
        """Give the item a class ("" removes it)."""
