"""Ports the pure sync core talks to; adapters implement them (sqlite_store, mqtt_paho)."""
from typing import Callable, Protocol


class Transport(Protocol):
    @property
    def connected(self) -> bool: ...

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None: ...


class OutboxStore(Protocol):
    def epoch(self) -> int: ...

    def acked_through(self) -> int: ...

    def last_seq(self) -> int: ...

    def read_rows_after(self, seq: int, limit: int) -> list[tuple]: ...

    def start_new_epoch(self, from_seq: int) -> int: ...

    def mark_acked(self, seq: int) -> None: ...


ApplyFn = Callable[[object, str, dict], None]
"""Apply one incoming event inside the open transaction: apply(db, stream, event).

`db` is a sqlite_utils.Database joined to the open transaction and `stream` is the site id.
Raise sync.sqlite_store.EventRejected to set the event aside (dead letter) with a reason."""


class InboxStore(Protocol):
    def hwm(self, stream: str, epoch: int) -> int: ...

    def receive(self, stream: str, epoch: int, events: list[dict], apply: ApplyFn): ...

    def dead_letter(self, topic: str, payload: bytes, reason: str) -> None: ...
