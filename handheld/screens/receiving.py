"""Receiving screen: choose the ASN or start a blind receipt, scan pallets and items, receive, close."""
from kivy.clock import mainthread
from kivy.properties import StringProperty

from .reason_buttons import show_reasons
from .scan_screen import ScanScreen


class ReceivingScreen(ScanScreen):
    receipts = StringProperty("")
    progress = StringProperty("")
    refusal = StringProperty("")

    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)
        self.receipts = "Open: " + (", ".join(state.receipts) or "none") if not state.receipt_id else state.receipt_id
        self.progress = state.progress
        self.refusal = "\n".join(state.refusals)
        show_reasons(self.ids.reasons, state.reasons, self.presenter.on_reason)

    def on_enter(self, *args) -> None:
        self.presenter.start()
        super().on_enter(*args)

    def submit_scan(self, field) -> None:
        self.presenter.on_scan(self.take_input(field))

    def receive(self) -> None:
        self.presenter.on_receive()

    def damaged(self) -> None:
        self.presenter.on_damaged()

    def close_receipt(self) -> None:
        self.presenter.on_close()

    def blind(self) -> None:
        self.presenter.on_blind()

    def acknowledge(self) -> None:
        self.presenter.on_acknowledge()
