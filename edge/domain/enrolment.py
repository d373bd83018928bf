"""Handheld enrolment: a short-lived single-use code from the site lead buys a device its token."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import EnrolmentCodeRefused

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I/L: the lead reads the code out and the picker types it on a handheld."""
CODE_LENGTH = 8


def minutes_later(now: str, minutes: float) -> str:
    """Return the ISO-8601 time `minutes` after `now`, in now's own format."""
    return (datetime.fromisoformat(now) + timedelta(minutes=minutes)).isoformat(timespec="milliseconds")


def normalise_code(code: str) -> str:
    """Read a typed code the way it was printed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def device_token_site(token: str) -> str:
    """Return the site a device token was issued by (tokens read 'SITE.secret')."""
    site, dot, _secret = token.partition(".")
    return site if dot else ""


@dataclass
class EnrolmentCode:
    code_hash: str
    created_at: str
    expires_at: str
    used_at: str | None = None
    used_by: str | None = None

    def redeem(self, device_id: str, now: str) -> None:
        """Spend the code for one device; a used or expired code is refused."""
        if self.used_at is not None or now >= self.expires_at:
            raise EnrolmentCodeRefused()
        self.used_at, self.used_by = now, device_id


@dataclass
class Device:
    device_id: str
    token_hash: str
    enrolled_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoke(self, now: str) -> bool:
        """Stop the device's token working; say whether it changed."""
        if self.revoked_at is not None:
            return False
        self.revoked_at = now
        return True
