"""Commands a site lead gives from the dashboard; each names the lead (actor) and says why (reason)."""
from dataclasses import dataclass

from .commands import Command


@dataclass(frozen=True)
class ReassignTask(Command):
    """Hand an unfinished task to another picker, or back to the pool when to_badge is empty."""

    task_id: str
    to_badge: str
    actor: str
    reason: str


@dataclass(frozen=True)
class ReleaseShortTask(Command):
    """Send what a short task missed to a new task at another location that has free stock."""

    task_id: str
    location: str
    actor: str
    reason: str


@dataclass(frozen=True)
class CancelOrderAtSite(Command):
    """Stop work on an order at this site (the centre learns it from order.status_changed)."""

    order_id: str
    actor: str
    reason: str


@dataclass(frozen=True)
class ResolveException(Command):
    """Close an exception without changing the floor: approve a short, acknowledge wrong scans, and the like."""

    kind: str
    ref: str
    action: str
    actor: str
    reason: str
