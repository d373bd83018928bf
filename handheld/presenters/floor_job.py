"""What the count and replenishment presenters share: fetch one job, queue its confirmation, show refusals.

A job (a count task or a replenishment) is downloaded while the edge is reachable and then worked with no
connection: its one confirmation is queued with its op_id like a pick and replayed in order by the sync loop.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..edge_client import EdgeRefused, EdgeUnreachable
from .feedback import Feedback, bad, good, info
from .ports import Outcome, RunInBackground, Sync

if TYPE_CHECKING:  # the store is injected; presenters never import sqlite3
    from ..local_store import LocalStore, QueuedOp

log = logging.getLogger(__name__)
LOADING, NO_JOB, OFFLINE, DONE = "loading", "no_job", "offline", "done"
OFFLINE_TEXT = "No connection to the site server, and no job on this handheld. {waiting} waiting to be sent."
QUEUED_TEXT = "{what} recorded; it is sent as soon as the site server answers."
REFUSED_TEXT = "The site server refused your {what} {job}: {message} Tell your lead if you need to redo it."


@dataclass(frozen=True)
class JobViewState:
    step: str = LOADING
    prompt: str = "Loading…"
    job_id: str = ""
    title: str = ""          # where to go: a location, or "from → to"
    detail: str = ""         # what has been scanned so far
    feedback: Feedback = Feedback()
    refusals: tuple[str, ...] = ()


class Offline(Exception):
    """Raise when the edge cannot be reached and no job is on the handheld."""


class FloorJobPresenter:
    """Fetch a job, let the subclass guide its scans, queue its confirmation; refusals are shown, never dropped."""

    KIND = ""       # the op type queued, e.g. "count"
    WHAT = ""       # how the picker calls it, e.g. "count"
    NONE_TEXT = ""  # what to say when the edge has no job

    def __init__(self, store: LocalStore, client, sync: Sync, run_in_background: RunInBackground,
                 render: Callable[[JobViewState], None], now: Callable[[], str],
                 on_signed_out: Callable[[], None] = lambda: None):
        self.store, self.client, self.sync, self.bg = store, client, sync, run_in_background
        self.render, self.now, self.on_signed_out = render, now, on_signed_out
        self.job: dict | None = None
        self.state = JobViewState()

    # -- fetching
    def start(self) -> None:
        """Carry on with the job in hand, else ask the edge for one."""
        if self.job is not None and self.state.step not in (DONE, NO_JOB, OFFLINE):
            return self._show(self.state)
        self.next_job()

    def next_job(self) -> None:
        """Send what is queued first, then take the next job."""
        self.job = None
        self._show(JobViewState(refusals=self._refusals()))
        self.bg(self._fetch, self._on_fetched)

    def _fetch(self) -> dict | None:
        pumped = self.sync.pump()
        if pumped.blocked:
            raise Offline()
        return self.download()

    def _on_fetched(self, outcome: Outcome) -> None:
        if isinstance(outcome.error, (Offline, EdgeUnreachable)):
            text = OFFLINE_TEXT.format(waiting=self.store.pending_count())
            return self._show(JobViewState(OFFLINE, text, feedback=info(text), refusals=self._refusals()))
        if isinstance(outcome.error, EdgeRefused):
            if outcome.error.status == 401:
                return self.on_signed_out()
            return self._show(JobViewState(NO_JOB, outcome.error.message, feedback=bad(outcome.error.message)))
        if outcome.error is not None:  # a bug: say so on screen rather than crash the picker's app
            log.error("fetching the next %s failed", self.WHAT, exc_info=outcome.error)
            return self._show(JobViewState(NO_JOB, self.NONE_TEXT, feedback=bad(str(outcome.error))))
        if outcome.value is None:
            return self._show(JobViewState(NO_JOB, self.NONE_TEXT, feedback=info(self.NONE_TEXT),
                                           refusals=self._refusals()))
        self.job = outcome.value
        self.begin(self.job)

    # -- for subclasses
    def download(self) -> dict | None:
        raise NotImplementedError

    def begin(self, job: dict) -> None:
        raise NotImplementedError

    def queue(self, path: str, payload: dict, title: str) -> None:
        """Queue the job's confirmation with its op_id (lease epoch included) and say so."""
        self.store.record(self.KIND, path, dict(payload, lease_epoch=self.job["lease_epoch"]), self.now())
        self.sync.nudge()
        text = QUEUED_TEXT.format(what=title)
        self._show(replace(self.state, step=DONE, prompt="Press Next for the next one.", feedback=good(text)))

    # -- refusals from the sync loop
    def on_sync_changed(self) -> None:
        refusals = self._refusals()
        if refusals != self.state.refusals:
            self._show(replace(self.state, refusals=refusals, feedback=bad(refusals[-1]) if refusals
                               else self.state.feedback))

    def on_acknowledge(self) -> None:
        """The picker has read the refusals: clear them."""
        self.store.acknowledge_refusals(self.now())
        self._show(replace(self.state, refusals=()))

    def _refusals(self) -> tuple[str, ...]:
        return tuple(describe(op, self.WHAT) for op in self.store.refusals() if op.type == self.KIND)

    # -- view
    def feedback(self, feedback: Feedback) -> None:
        self._show(replace(self.state, feedback=feedback))

    def _show(self, state: JobViewState) -> None:
        self.state = state
        self.render(state)


def describe(op: QueuedOp, what: str) -> str:
    """Say which confirmation the edge refused and why."""
    job = op.path.rstrip("/").split("/")[-2]
    return REFUSED_TEXT.format(what=what, job=job, message=op.message)
