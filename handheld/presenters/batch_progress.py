"""Where a batch stands on the device: the edge's copy plus the device's own ops since it was downloaded."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import QueuedOp

LOCATION_OP, PICK_OP, SHORT_OP, CLOSE_OP = "batch_location", "batch_pick", "batch_short", "batch_close"
BATCH_OPS = (LOCATION_OP, PICK_OP, SHORT_OP, CLOSE_OP)
REFUSED = "refused"


@dataclass
class Stop:
    """One pick of the walk as the device sees it."""

    data: dict
    step: str
    picked: int

    @property
    def task_id(self) -> str:
        return self.data["task_id"]

    @property
    def remaining(self) -> int:
        return self.data["qty"] - self.picked


@dataclass
class Progress:
    batch: dict
    stops: list[Stop]
    totes: dict[int, str] = field(default_factory=dict)  # slot -> tote
    closed: bool = False

    @property
    def current(self) -> Stop | None:
        return next((stop for stop in self.stops if stop.step != "done"), None)

    @property
    def done(self) -> int:
        return sum(1 for stop in self.stops if stop.step == "done")

    def slot_of_tote(self, tote: str) -> int | None:
        return next((slot for slot, bound in self.totes.items() if bound == tote), None)


def progress(batch: dict, synced_seq: int, ops: list[QueuedOp]) -> Progress:
    """Replay the device's batch ops after synced_seq (refused ones changed nothing) onto the edge's copy."""
    stops = {s["task_id"]: Stop(s, s["next_step"], s["picked_qty"]) for s in batch["stops"]}
    totes = {s["slot"]: s["tote"] for s in batch["slots"] if s["tote"]}
    closed = batch["status"] not in ("open", "picking")
    close_path = f"/api/v1/batches/{batch['batch_id']}/close"
    for op in ops:
        if op.type not in BATCH_OPS or op.device_seq <= synced_seq or op.status == REFUSED:
            continue
        stop = stops.get(op.task_id or "")
        if op.type == CLOSE_OP:
            closed = closed or op.path == close_path
        elif stop is None:
            continue
        elif op.type == LOCATION_OP and stop.step != "done":
            stop.step = "scan_item"
        elif op.type == PICK_OP:
            stop.picked += op.payload["qty"]
            stop.step = "done" if stop.picked >= stop.data["qty"] else "scan_item"
            totes[stop.data["slot"]] = op.payload["tote"].strip().upper()
        elif op.type == SHORT_OP:
            stop.picked += op.payload["qty_found"]
            stop.step = "done"
    return Progress(batch, list(stops.values()), totes, closed)
