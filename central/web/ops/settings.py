"""The ops view's settings, read from the app config with their defaults."""
from .reads import setting


def ship_cutoff() -> str:
    """The time (HH:MM, UTC) orders leave on their requested ship date; the sites use the same default."""
    return setting("SHIP_CUTOFF", "17:00")


def rate_hours() -> int:
    """How many recent hours of task.picked events give a site's picking rate for the forecast."""
    return int(setting("OPS_RATE_HOURS", 4))


def quiet_minutes() -> int:
    """After how long without an event an online site with open work is listed as quiet."""
    return int(setting("OPS_QUIET_MINUTES", 15))


def repeated_shorts() -> int:
    """How many short picks at one location in the window make it an anomaly."""
    return int(setting("OPS_REPEATED_SHORTS", 2))
