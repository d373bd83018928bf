"""Batch screen: where to go, what to pick, which cart slot and tote it goes into; Short, Close, Next batch."""
from kivy.clock import mainthread
from kivy.properties import StringProperty

from .scan_screen import ScanScreen


class BatchScreen(ScanScreen):
    location = StringProperty("")
    item = StringProperty("")
    put_to = StringProperty("")
    progress = StringProperty("")
    refusal = StringProperty("")

    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)
        self.location, self.item, self.put_to = state.location, state.item, state.put_to
        counted = f"  ·  {state.picked + state.qty_entered} / {state.qty}" if state.qty else ""
        self.progress = state.progress + counted
        self.refusal = "\n".join(state.refusals)

    def submit_scan(self, field) -> None:
        self.presenter.on_scan(self.take_input(field))

    def short(self, reason: str) -> None:
        self.presenter.on_short(reason)

    def close_batch(self) -> None:
        self.presenter.on_close()

    def next_batch(self) -> None:
        self.presenter.next_batch()

    def acknowledge(self) -> None:
        self.presenter.on_acknowledge()
