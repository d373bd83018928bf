"""Count screen: the location to count, what has been scanned (never what is expected), Confirm / Empty / Next."""
from kivy.clock import mainthread
from kivy.properties import StringProperty

from .scan_screen import ScanScreen


class JobScreen(ScanScreen):
    """A screen for one floor job (count or replenishment): where, what so far, refusals."""

    title = StringProperty("")
    detail = StringProperty("")
    refusal = StringProperty("")

    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)
        self.title, self.detail, self.refusal = state.title, state.detail, "\n".join(state.refusals)

    def submit_scan(self, field) -> None:
        self.presenter.on_scan(self.take_input(field))

    def next_job(self) -> None:
        self.presenter.next_job()

    def acknowledge(self) -> None:
        self.presenter.on_acknowledge()


class CountScreen(JobScreen):
    def confirm(self) -> None:
        self.presenter.on_confirm()

    def empty(self) -> None:
        self.presenter.on_empty()
