"""Turn a refused op into text that says what happened and what to do next."""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import messages

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import QueuedOp


DEVICE_WITHDRAWN = frozenset({"device_revoked", "device_not_enrolled"})
"""Refusals that mean the edge no longer knows this handheld: only a new enrolment helps."""


def describe_refusal(op: QueuedOp, location: str = "its location") -> str:
    """Say which confirmation the edge refused, why, and what the picker should do."""
    what = messages.OP_NAMES.get(op.type, op.type)
    target = op.task_id or op.path.rsplit("/", 2)[-2]
    advice = messages.REFUSAL_ADVICE.get(op.reason or "", messages.REFUSAL_DEFAULT).format(location=location)
    return messages.REFUSAL.format(what=what, task=target, message=op.message) + " " + advice
