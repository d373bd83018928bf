"""Replay the device's queued ops to the edge, in order and with their op_ids, off the UI thread."""
import logging
import random
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from .edge_client import EdgeRefused, EdgeUnreachable
from .local_store import LocalStore
from .presenters.refusals import DEVICE_WITHDRAWN

log = logging.getLogger(__name__)
AUTH_CODES = frozenset({"not_signed_in", "session_expired", "device_not_enrolled", "device_revoked",
                        "device_wrong_site", "device_mismatch"})
"""Refusals of who is asking, not of the op: keep the op queued until the picker or device is let in again."""
WITHDRAWN = "withdrawn"
"""PumpResult.blocked when the edge no longer knows this device: the app goes back to enrolment."""


def utc_now() -> str:
    """Return the current UTC time as ISO-8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class PumpResult:
    """What one pass over the queue did; blocked says why it stopped early (None: queue drained)."""

    sent: int = 0
    refused: int = 0
    blocked: str | None = None
    message: str = ""


class Backoff:
    """Exponential backoff with jitter: half the step fixed, half random, capped (like paho's 1..120 s)."""

    def __init__(self, base: float = 1.0, cap: float = 60.0, rng: random.Random | None = None):
        self.base, self.cap, self.rng = base, cap, rng or random.Random()

    def delay(self, failures: int) -> float:
        step = min(self.cap, self.base * 2 ** max(0, failures - 1))
        return step / 2 + self.rng.uniform(0, step / 2)


class SyncLoop:
    """Drain the ops outbox while the edge answers; refusals are kept with their reason, never dropped."""

    def __init__(self, store: LocalStore, client, *, backoff: Backoff | None = None, idle: float = 5.0,
                 now: Callable[[], str] = utc_now, on_change: Callable[[], None] = lambda: None,
                 wake: threading.Event | None = None):
        self.store, self.client, self.now = store, client, now
        self.backoff, self.idle, self.on_change = backoff or Backoff(), idle, on_change
        self.online: bool | None = None
        self.last = PumpResult()
        self.failures = 0
        self._wake = wake or threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def pump(self) -> PumpResult:
        """Send every pending op in device_seq order until the queue is empty or the edge is unreachable."""
        with self._lock:  # the worker thread and a presenter's "flush before next task" must not interleave
            result = self._pump()
        self.online, self.last = result.blocked != "unreachable", result
        self.on_change()
        return result

    def _pump(self) -> PumpResult:
        sent = refused = 0
        while ops := self.store.pending_ops():
            for op in ops:
                try:
                    answer = self.client.post(op.path, op.payload)
                except EdgeUnreachable as err:
                    self.store.note_sync_error(str(err))
                    return PumpResult(sent, refused, "unreachable")
                except EdgeRefused as err:
                    if err.code in DEVICE_WITHDRAWN:
                        self.store.note_sync_error(err.message)
                        return PumpResult(sent, refused, WITHDRAWN, err.message)
                    if err.code in AUTH_CODES:
                        self.store.note_sync_error(err.message)
                        return PumpResult(sent, refused, "signed_out")
                    if err.status >= 500:
                        self.store.note_sync_error(err.message)
                        return PumpResult(sent, refused, "unreachable")
                    log.warning("edge refused op %s (%s): %s", op.op_id, err.code, err.message)
                    self.store.mark_refused(op.device_seq, err.code, err.message, self.now())
                    refused += 1
                    continue
                self.store.mark_sent(op.device_seq, answer, self.now())
                sent += 1
        return PumpResult(sent, refused, None)

    def nudge(self) -> None:
        """Wake the worker now (after a new op was queued)."""
        self._wake.set()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="handheld-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def run(self) -> None:
        """Pump, then wait: the idle period when drained, a growing jittered backoff when the edge is away."""
        while not self._stop.is_set():
            try:
                result = self.pump()
            except Exception:  # a bug must not kill the only thread that sends the picker's work
                log.exception("sync pass failed")
                result = PumpResult(blocked="error")
            self.failures = self.failures + 1 if result.blocked else 0
            delay = self.backoff.delay(self.failures) if result.blocked else self.idle
            self._wake.wait(delay)
            self._wake.clear()
