"""The ports presenters are given: background work, the sync loop, the clock."""
from dataclasses import dataclass
from typing import Any, Callable, Protocol


@dataclass(frozen=True)
class Outcome:
    """The result of background work: a value, or the exception it raised."""

    value: Any = None
    error: Exception | None = None


RunInBackground = Callable[[Callable[[], Any], Callable[[Outcome], None]], None]


def run_inline(fn: Callable[[], Any], on_done: Callable[[Outcome], None]) -> None:
    """Run fn now and deliver its outcome (tests and benchmarks)."""
    try:
        outcome = Outcome(value=fn())
    except Exception as err:  # handed to on_done, which decides what the picker sees
        outcome = Outcome(error=err)
    on_done(outcome)


class Sync(Protocol):
    """What presenters need from the sync loop."""

    online: bool | None

    def pump(self): ...

    def nudge(self) -> None: ...
