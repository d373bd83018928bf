"""What every ops page needs: a read connection, the clock, settings, and refusing bad query arguments."""
from contextlib import contextmanager
from datetime import datetime, timezone

from flask import current_app, render_template, request

from central.web.runtime import services
from sync.sqlite_store import pooled_connection

WINDOWS = (1, 4, 8, 24, 72, 168)
DEFAULT_WINDOW = 24


class BadArgument(Exception):
    """A query argument the page cannot use; the page answers 400 with this message."""


@contextmanager
def reading():
    """Yield this thread's pooled connection to the centre's database, for reading."""
    with pooled_connection(services().db_path) as conn:
        yield conn


def now() -> datetime:
    clock = current_app.config.get("OPS_CLOCK")  # tests pin the clock to their hand-made ledgers
    return clock() if clock else datetime.now(timezone.utc)


def setting(name: str, default):
    return current_app.config.get(name, default)


def window_hours(default: int = DEFAULT_WINDOW) -> int:
    """Read ?hours= (one of WINDOWS); anything else is refused."""
    raw = request.args.get("hours", "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) not in WINDOWS:
        raise BadArgument(f"Pick a window of {', '.join(map(str, WINDOWS))} hours (got {raw[:20]!r}).")
    return int(raw)


def whole_number(name: str, default: int, lowest: int, highest: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not lowest <= int(raw) <= highest:
        raise BadArgument(f"{name} must be a whole number from {lowest} to {highest} (got {raw[:20]!r}).")
    return int(raw)


def page(template: str, **context):
    return render_template(template, **context)
