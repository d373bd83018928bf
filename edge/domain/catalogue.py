"""Master data of a site: locations, items and pickers."""
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

PIN_ITERATIONS = 60_000
VIRTUAL_PACK = "PACK"
"""Picked goods wait at this virtual location until they ship."""


@dataclass
class Location:
    location: str
    barcode: str
    zone: str = ""
    pick_seq: int = 0


TRACKING_AIS = {"none": (), "lot": ("lot",), "serial": ("serial",), "lot_expiry": ("lot", "expiry")}
"""What a pick of an item must capture from its GS1 label: lot (AI 10), expiry (AI 17), serial (AI 21)."""


@dataclass(frozen=True)
class Traced:
    """What a pick captured from the item's GS1 label (empty when the item is not tracked)."""

    lot: str = ""
    serial: str = ""
    expiry: str = ""


@dataclass
class Item:
    sku: str
    description: str = ""
    gtins: list[str] = field(default_factory=list)
    tracking: str = "none"

    def missing(self, traced: Traced) -> list[str]:
        """Return what the pick still has to capture for this item's tracking (empty: nothing)."""
        return [name for name in TRACKING_AIS.get(self.tracking, ()) if not getattr(traced, name)]

    def barcodes(self) -> list[str]:
        """Return every barcode that identifies this item: the sku, then its GTINs."""
        return [self.sku, *self.gtins]


@dataclass
class Picker:
    badge: str
    name: str
    pin_hash: str


def hash_pin(pin: str, salt: bytes | None = None, iterations: int = PIN_ITERATIONS) -> str:
    """Hash a PIN with PBKDF2-SHA256 and a random salt, as 'pbkdf2_sha256$iterations$salt$hash'."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, pin_hash: str) -> bool:
    """Check a PIN against its stored hash in constant time."""
    try:
        scheme, iterations, salt, expected = pin_hash.split("$")
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return scheme == "pbkdf2_sha256" and hmac.compare_digest(digest.hex(), expected)


@functools.cache
def decoy_pin_hash() -> str:
    """Return a hash to verify against when the badge is unknown, so a wrong badge costs as long as a wrong PIN."""
    return hash_pin("decoy", salt=b"decoy-salt-16byt")


def token_digest(token: str) -> str:
    """Return the form a session token is stored and looked up in, so a copied database signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()
