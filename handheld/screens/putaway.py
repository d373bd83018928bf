"""Putaway screen: carry the goods to the suggested location and scan it; elsewhere, tap a reason."""
from kivy.clock import mainthread
from kivy.properties import StringProperty

from .reason_buttons import show_reasons
from .scan_screen import ScanScreen


class PutawayScreen(ScanScreen):
    left = StringProperty("")
    refusal = StringProperty("")

    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)
        self.left = f"{state.left} to put away" if state.left else ""
        self.refusal = "\n".join(state.refusals)
        show_reasons(self.ids.reasons, state.reasons, self.presenter.on_reason)

    def on_enter(self, *args) -> None:
        self.presenter.start()
        super().on_enter(*args)

    def submit_scan(self, field) -> None:
        self.presenter.on_scan(self.take_input(field))

    def skip(self) -> None:
        self.presenter.on_skip()

    def refresh(self) -> None:
        self.presenter.start()

    def acknowledge(self) -> None:
        self.presenter.on_acknowledge()
