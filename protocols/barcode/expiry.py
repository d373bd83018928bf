"""Read a GS1 expiry date (AI 17, YYMMDD) the same way on the handheld and the edge.

Day 00 means the last day of the month. Stock is good up to and including its expiry day.
"""
import calendar

NO_EXPIRY = "9999-12-31"
"""What no expiry reads as: after every date."""


def expiry_date(expiry: str) -> str:
    """Return a YYMMDD expiry as an ISO date, NO_EXPIRY for none, or "" when it is not a date."""
    if not expiry:
        return NO_EXPIRY
    if len(expiry) != 6 or not expiry.isdigit() or not expiry.isascii():
        return ""
    year, month, day = 2000 + int(expiry[:2]), int(expiry[2:4]), int(expiry[4:])
    if not 1 <= month <= 12:
        return ""
    last = calendar.monthrange(year, month)[1]
    day = day or last
    return f"{year:04d}-{month:02d}-{day:02d}" if day <= last else ""


def is_expired(expiry: str, today: str) -> bool:
    """Say whether stock with this expiry may no longer be picked on `today` (ISO date); an unreadable date may not."""
    date = expiry_date(expiry)
    return not date or date < today
