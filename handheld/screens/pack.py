"""Pack screen: choose an order, scan items into a carton and close it; scan the dock door and cartons, ship."""
from kivy.clock import mainthread
from kivy.properties import StringProperty

from .scan_screen import ScanScreen


class PackScreen(ScanScreen):
    orders = StringProperty("")
    carton = StringProperty("")
    loading = StringProperty("")

    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)
        self.orders = "Ready to pack: " + (", ".join(state.orders) or "none")
        self.carton = "In carton: " + (state.carton_text or "nothing yet")
        self.loading = state.loading_text

    def on_enter(self, *args) -> None:
        self.presenter.start()
        super().on_enter(*args)

    def submit_scan(self, field) -> None:
        self.presenter.on_scan(self.take_input(field))

    def close_carton(self) -> None:
        self.presenter.on_close_carton()

    def ship(self) -> None:
        self.presenter.on_ship()
