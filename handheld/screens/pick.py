"""Pick screen: where to go, what to scan, quantity, confirm or short."""
from kivy.clock import mainthread
from kivy.properties import StringProperty

from .scan_screen import ScanScreen


class PickScreen(ScanScreen):
    location = StringProperty("")
    item = StringProperty("")
    progress = StringProperty("")
    refusal = StringProperty("")

    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)
        self.location = state.location
        self.item = f"{state.sku}  {state.description}".strip()
        self.progress = f"{state.picked + state.qty_entered} / {state.qty}" if state.qty else ""
        self.refusal = "\n".join(state.refusals)

    def submit_scan(self, field) -> None:
        self.presenter.on_scan(self.take_input(field))

    def confirm(self) -> None:
        self.presenter.on_confirm()

    def short(self) -> None:
        self.presenter.on_short()

    def short_reason(self, reason: str) -> None:
        self.presenter.on_short_confirm(self.ids.scan.text, reason)
        self.ids.scan.text = ""

    def next_task(self) -> None:
        self.presenter.next_task()

    def skip(self) -> None:
        self.presenter.on_postpone()

    def acknowledge(self) -> None:
        self.presenter.on_acknowledge()
