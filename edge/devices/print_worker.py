"""A background thread that drains the print queue about once a second, apart from request handling."""
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timezone

from sync.os_threads import NamedThread

from .dispatcher import PrintDispatcher

log = logging.getLogger(__name__)


def utc_clock() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(timezone.utc)


class PrintQueueWorker:
    """Call dispatcher.drain(now) every `interval` seconds on its own thread; start() and stop()."""

    def __init__(self, dispatcher: PrintDispatcher, interval: float = 1.0,
                 clock: Callable[[], datetime] = utc_clock):
        self.dispatcher, self.interval, self.clock = dispatcher, interval, clock
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.drains = 0
        self.last_error = ""

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = NamedThread(target=self._run, name="print-queue", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Let the current drain finish, then end the thread."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("print queue worker did not stop within %.0f s", timeout)
            self._thread = None

    def health(self) -> dict:
        """Say whether the worker runs and what its last drain failed with."""
        return {"running": self._thread is not None and self._thread.is_alive(), "drains": self.drains,
                "last_error": self.last_error}

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                sent = self.dispatcher.drain(self.clock())
                self.last_error = ""
                if sent:
                    log.info("printed %s label(s)", sent)
            except Exception as err:  # a failed drain must not end the thread; the next one retries
                self.last_error = f"{type(err).__name__}: {err}"
                log.exception("print queue drain failed")
            self.drains += 1
            self._stopping.wait(self.interval)
