"""Sign a picker in: scan the badge, type the PIN; resume a saved session, even with no connection."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from protocols.barcode import BADGE, BarcodeError, classify

from ..edge_client import EdgeRefused, EdgeUnreachable
from ..pin import pin_hash
from . import messages
from .feedback import Feedback, bad, info
from .ports import Outcome, RunInBackground
from .refusals import DEVICE_WITHDRAWN

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import LocalStore

BADGE_STEP, PIN_STEP, BUSY = "badge", "pin", "busy"


@dataclass(frozen=True)
class SignInViewState:
    """What the sign-in screen shows."""

    step: str = BADGE_STEP
    prompt: str = messages.SCAN_BADGE
    badge: str = ""
    feedback: Feedback = field(default_factory=Feedback)


class SignInPresenter:
    """Badge scan, then PIN; on success hand the picker's name to on_signed_in."""

    def __init__(self, store: LocalStore, client, run_in_background: RunInBackground,
                 render: Callable[[SignInViewState], None], now: Callable[[], str],
                 on_signed_in: Callable[[dict], None],
                 on_withdrawn: Callable[[str], None] = lambda message: None):
        self.store, self.client, self.bg, self.render, self.now = store, client, run_in_background, render, now
        self.on_signed_in, self.on_withdrawn = on_signed_in, on_withdrawn
        self.state = SignInViewState()

    def resume(self) -> bool:
        """Reuse the session saved on this device (the app was closed or restarted); say if there was one."""
        session = self.store.session()
        if session is None:
            self._show(SignInViewState())
            return False
        self.client.token = session["token"]
        self.on_signed_in({"badge": session["badge"], "name": session["name"]})
        return True

    def on_input(self, text: str) -> None:
        """Take what the one input field got: the PIN in the PIN step, else a badge scan."""
        if self.state.step == PIN_STEP:
            return self.on_pin(text)
        self.on_scan(text)

    def on_scan(self, raw: str) -> None:
        try:
            scan = classify(raw)
        except BarcodeError as err:
            return self._show(SignInViewState(feedback=bad(str(err))))
        if scan.kind != BADGE:
            return self._show(SignInViewState(feedback=bad(messages.NOT_A_BADGE)))
        self._show(SignInViewState(PIN_STEP, messages.ENTER_PIN.format(badge=scan.value), scan.value))

    def on_pin(self, pin: str) -> None:
        badge = self.state.badge
        if self.state.step != PIN_STEP:
            return
        self._show(SignInViewState(BUSY, messages.SIGNING_IN, badge))
        self.bg(lambda: self.client.sign_in(badge, pin), lambda outcome: self._on_answer(badge, pin, outcome))

    def _on_answer(self, badge: str, pin: str, outcome: Outcome) -> None:
        if isinstance(outcome.error, EdgeUnreachable):
            session = self.store.session()
            if session and session["badge"] == badge and session["pin_hash"] == pin_hash(badge, pin):
                self.client.token = session["token"]
                self._show(SignInViewState(BADGE_STEP, feedback=info(messages.OFFLINE_SIGN_IN)))
                return self.on_signed_in({"badge": badge, "name": session["name"]})
            return self._show(SignInViewState(PIN_STEP, messages.ENTER_PIN.format(badge=badge), badge,
                                              bad(messages.CANNOT_SIGN_IN_OFFLINE.format(badge=badge))))
        if isinstance(outcome.error, EdgeRefused) and outcome.error.code in DEVICE_WITHDRAWN:
            self._show(SignInViewState())
            return self.on_withdrawn(outcome.error.message)
        if isinstance(outcome.error, EdgeRefused):
            return self._show(SignInViewState(PIN_STEP, messages.ENTER_PIN.format(badge=badge), badge,
                                              bad(outcome.error.message)))
        if outcome.error is not None:
            return self._show(SignInViewState(feedback=bad(str(outcome.error))))
        picker = outcome.value["picker"]
        self.store.save_session(badge, picker["name"], outcome.value["token"], pin, self.now())
        self._show(SignInViewState())
        self.on_signed_in(picker)

    def sign_out(self) -> None:
        self.store.clear_session()
        self.client.token = None
        self._show(SignInViewState())

    def _show(self, state: SignInViewState) -> None:
        self.state = state
        self.render(state)
