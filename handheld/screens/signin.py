"""Sign-in screen: scan badge, type PIN."""
from kivy.clock import mainthread

from .scan_screen import ScanScreen


class SignInScreen(ScanScreen):
    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)

    def submit(self, field) -> None:
        self.presenter.on_input(self.take_input(field))
