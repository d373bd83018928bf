"""One thread that owns sync state: it routes incoming messages and pumps the senders."""
import logging
import queue
import threading
import time
from typing import Callable

from .os_threads import NamedThread
from .topics import matches

log = logging.getLogger(__name__)

Route = Callable[[str, bytes], None]


class SyncLink:
    """Serialise all sync work on one thread, so senders and receivers need no locks.

    paho's network thread only enqueues; handlers and pumps run here.
    """

    def __init__(self, name: str, tick: float = 0.05, pump_gap: float = 0.0):
        """`pump_gap`: the least time between two rounds of the pumps (0: after every item).

        A site's command writer nudges after every group commit, hundreds of times a second at a busy shift; a
        round per nudge published many small batches, each acknowledged and marked (a write) on its own.
        """
        self.name, self.tick, self.pump_gap = name, tick, pump_gap
        self._nudged = False  # a nudge is waiting for the next round: further nudges need not wake the thread
        self._queue: queue.Queue = queue.Queue()
        self._routes: list[tuple[str, Route]] = []
        self._pumps: list[Callable[[], object]] = []
        self._stop = threading.Event()
        self._thread = NamedThread(target=self._run, name=name, daemon=True)

    def route(self, topic_filter: str, handler: Route) -> None:
        self._routes.append((topic_filter, handler))

    def add_pump(self, pump: Callable[[], object]) -> None:
        self._pumps.append(pump)

    def deliver(self, topic: str, payload: bytes) -> None:
        """Queue an incoming message (called from the MQTT thread)."""
        self._queue.put((topic, payload))

    def call(self, fn: Callable[[], object]) -> None:
        """Run a function on the link thread (e.g. react to a (re)connect)."""
        self._queue.put(fn)

    def nudge(self) -> None:
        """Wake the link so new outbox rows go out now rather than at the next tick (once per round is enough)."""
        if not self._nudged:
            self._nudged = True
            self._queue.put(None)

    def idle(self) -> bool:
        """Tell whether nothing waits in the queue (so work gathered so far should go now, not wait for more)."""
        return self._queue.empty()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        self._stop.set()
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        due, wanted = 0.0, True  # when the pumps may run next; whether anything since their last round asks for one
        while not self._stop.is_set():
            wait = max(0.0, due - time.monotonic()) if wanted else self.tick
            try:
                item = self._queue.get(timeout=wait) if wait > 0 else self._queue.get_nowait()
            except queue.Empty:
                item = None
            try:
                if callable(item):
                    item()
                elif item is not None:
                    self._dispatch(*item)
                wanted = True  # a nudge, a message, a call or the tick
                if time.monotonic() >= due:
                    wanted = self._nudged = False  # before the pumps: what is committed from here on nudges again
                    for pump in self._pumps:
                        pump()
                    due = time.monotonic() + self.pump_gap
            except Exception:
                log.exception("%s: sync step failed; will retry", self.name)
                self._stop.wait(0.5)

    def _dispatch(self, topic: str, payload: bytes) -> None:
        for topic_filter, handler in self._routes:
            if matches(topic_filter, topic):
                handler(topic, payload)
                return
        log.warning("%s: no route for topic %s", self.name, topic)
