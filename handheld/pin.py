"""Hash a picker's PIN so an offline sign-in can be checked without storing the PIN itself."""
import hashlib


def pin_hash(badge: str, pin: str) -> str:
    """Return the salted SHA-256 of the PIN (the badge is the salt)."""
    return hashlib.sha256(f"{badge}:{pin}".encode()).hexdigest()
