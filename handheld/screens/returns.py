"""Returns screen: scan the RMA or order number, scan items, restock (scan the location), quarantine or scrap."""
from kivy.clock import mainthread
from kivy.properties import StringProperty

from .reason_buttons import show_reasons
from .scan_screen import ScanScreen


class ReturnsScreen(ScanScreen):
    returns = StringProperty("")
    progress = StringProperty("")
    refusal = StringProperty("")

    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)
        self.returns = state.return_id or "Open: " + (", ".join(state.returns) or "none")
        self.progress = state.progress
        self.refusal = "\n".join(state.refusals)
        show_reasons(self.ids.reasons, state.reasons, self.presenter.on_reason)

    def on_enter(self, *args) -> None:
        self.presenter.start()
        super().on_enter(*args)

    def submit_scan(self, field) -> None:
        self.presenter.on_scan(self.take_input(field))

    def restock(self) -> None:
        self.presenter.on_restock()

    def later(self) -> None:
        self.presenter.on_later()

    def quarantine(self) -> None:
        self.presenter.on_quarantine()

    def scrap(self) -> None:
        self.presenter.on_scrap()

    def close_return(self) -> None:
        self.presenter.on_close()

    def acknowledge(self) -> None:
        self.presenter.on_acknowledge()
