"""Enrol the handheld with its site's edge: edge URL plus the single-use code from the site lead."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..edge_client import EdgeRefused, EdgeUnreachable
from . import messages
from .feedback import Feedback, bad, good, info
from .ports import Outcome, RunInBackground

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import LocalStore

FORM, BUSY, DONE = "form", "busy", "done"


@dataclass(frozen=True)
class EnrolmentViewState:
    """What the enrolment screen shows."""

    step: str = FORM
    prompt: str = messages.ENROL_PROMPT
    edge_url: str = ""
    feedback: Feedback = field(default_factory=Feedback)


class EnrolmentPresenter:
    """Ask for the edge URL and code once; afterwards every call carries the stored device token."""

    def __init__(self, store: LocalStore, client, run_in_background: RunInBackground,
                 render: Callable[[EnrolmentViewState], None], now: Callable[[], str],
                 on_enrolled: Callable[[], None]):
        self.store, self.client, self.bg, self.render, self.now = store, client, run_in_background, render, now
        self.on_enrolled = on_enrolled
        self.state = EnrolmentViewState(edge_url=client.base_url)

    def resume(self) -> bool:
        """Load the device token saved on this handheld; say whether the device is enrolled."""
        device = self.store.device()
        if device is None:
            self._show(EnrolmentViewState(edge_url=self.client.base_url))
            return False
        self.client.base_url, self.client.device_token = device["edge_url"], device["device_token"]
        return True

    def on_enrol(self, edge_url: str, code: str) -> None:
        edge_url, code = edge_url.strip().rstrip("/"), code.strip()
        if not (edge_url.startswith(("http://", "https://")) and code):
            return self._show(EnrolmentViewState(edge_url=edge_url, feedback=bad(messages.ENROL_NEEDS_BOTH)))
        self.client.base_url = edge_url
        self._show(EnrolmentViewState(BUSY, messages.ENROLLING, edge_url))
        self.bg(lambda: self.client.enrol(code), lambda outcome: self._on_answer(edge_url, outcome))

    def _on_answer(self, edge_url: str, outcome: Outcome) -> None:
        if isinstance(outcome.error, EdgeUnreachable):
            text = messages.ENROL_OFFLINE.format(url=edge_url)
            return self._show(EnrolmentViewState(edge_url=edge_url, feedback=bad(text)))
        if isinstance(outcome.error, EdgeRefused):
            return self._show(EnrolmentViewState(edge_url=edge_url, feedback=bad(outcome.error.message)))
        if outcome.error is not None:
            return self._show(EnrolmentViewState(edge_url=edge_url, feedback=bad(str(outcome.error))))
        answer = outcome.value
        self.store.save_device(edge_url, self.client.device_id, answer["site_id"], answer["device_token"], self.now())
        self._show(EnrolmentViewState(DONE, messages.ENROLLED.format(site=answer["site_id"]), edge_url,
                                      good(messages.ENROLLED.format(site=answer["site_id"]))))
        self.on_enrolled()

    def withdrawn(self, message: str) -> None:
        """The edge no longer knows this device (revoked or re-enrolled elsewhere): ask for a new code."""
        self.store.forget_device()
        self.client.device_token = self.client.token = None
        self._show(EnrolmentViewState(edge_url=self.client.base_url, feedback=info(message)))

    def _show(self, state: EnrolmentViewState) -> None:
        self.state = state
        self.render(state)
