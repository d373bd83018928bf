"""What the pick screen shows: the step names and the view state presenters emit."""
from dataclasses import dataclass, field

from . import messages
from .feedback import Feedback

LOADING, SCAN_LOCATION, SCAN_ITEM, CONFIRM_QTY, SHORT, NO_TASK, OFFLINE, REFUSED = (
    "loading", "scan_location", "scan_item", "confirm_qty", "short", "no_task", "offline", "refused")
QTY_DIGITS = 5  # GTINs have 8+ digits, so a shorter number in the quantity step is a typed count


@dataclass(frozen=True)
class PickViewState:
    """Everything the pick screen shows."""

    step: str = LOADING
    prompt: str = messages.LOADING
    task_id: str = ""
    location: str = ""
    sku: str = ""
    description: str = ""
    qty: int = 0
    picked: int = 0
    qty_entered: int = 0
    feedback: Feedback = field(default_factory=Feedback)
    refusals: tuple[str, ...] = ()


def typed_qty(raw: str) -> int | None:
    """Return the count when a scan is a short typed number rather than a barcode, else None."""
    text = raw.strip()
    return int(text) if text.isdigit() and len(text) <= QTY_DIGITS else None
