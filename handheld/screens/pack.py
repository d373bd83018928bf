"""Pack screen: choose an order, close its carton, ship it."""
from kivy.clock import mainthread
from kivy.properties import StringProperty

from .scan_screen import ScanScreen


class PackScreen(ScanScreen):
    orders = StringProperty("")

    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)
        self.orders = "Ready to pack: " + (", ".join(state.orders) or "none")

    def on_enter(self, *args) -> None:
        self.presenter.start()
        super().on_enter(*args)

    def submit_scan(self, field) -> None:
        self.presenter.on_scan(self.take_input(field))

    def close_carton(self) -> None:
        self.presenter.on_close_carton()

    def ship(self) -> None:
        self.presenter.on_ship()
