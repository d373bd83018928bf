"""Run network work on a worker thread and hand its outcome back on Kivy's UI thread."""
import threading
from typing import Any, Callable

from kivy.clock import Clock

from .presenters.ports import Outcome


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Outcome], None]) -> None:
    """Call fn on a daemon thread; deliver Outcome(value|error) to on_done on the next UI frame."""
    def work() -> None:
        try:
            outcome = Outcome(value=fn())
        except Exception as err:  # delivered to the presenter, which tells the picker
            outcome = Outcome(error=err)
        Clock.schedule_once(lambda _dt: on_done(outcome))

    threading.Thread(target=work, name="handheld-bg", daemon=True).start()
