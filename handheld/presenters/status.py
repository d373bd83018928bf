"""The always-visible status bar: connection, ops waiting, last sync, signed-in picker."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .ports import Sync

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import LocalStore


@dataclass(frozen=True)
class StatusBarState:
    """One line of status for the top of every screen."""

    online: bool | None = None
    waiting: int = 0
    last_synced_at: str = ""
    picker: str = ""
    refusals: int = 0

    @property
    def text(self) -> str:
        link = {True: "ONLINE", False: "OFFLINE", None: "CONNECTING"}[self.online]
        synced = self.last_synced_at[11:19] if self.last_synced_at else "never"
        parts = [link, f"{self.waiting} waiting", f"synced {synced}"]
        if self.refusals:
            parts.append(f"{self.refusals} refused")
        return " · ".join(parts + ([self.picker] if self.picker else []))


class StatusPresenter:
    """Read the store and the sync loop, and render the status bar."""

    def __init__(self, store: LocalStore, sync: Sync, render: Callable[[StatusBarState], None]):
        self.store, self.sync, self.render = store, sync, render
        self.picker = ""
        self.state = StatusBarState()

    def set_picker(self, name: str) -> None:
        self.picker = name
        self.refresh()

    def refresh(self) -> None:
        self.state = StatusBarState(self.sync.online, self.store.pending_count(),
                                    self.store.sync_state()["last_synced_at"] or "", self.picker,
                                    len(self.store.refusals()))
        self.render(self.state)
