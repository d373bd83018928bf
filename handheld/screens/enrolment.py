"""Enrolment screen: the site server's address and the code from the site lead."""
from kivy.clock import mainthread
from kivy.properties import StringProperty

from .scan_screen import ScanScreen


class EnrolmentScreen(ScanScreen):
    edge_url = StringProperty("")

    @mainthread
    def render(self, state) -> None:
        self.show_feedback(state)
        self.edge_url = state.edge_url

    def submit(self, field) -> None:
        self.presenter.on_enrol(self.ids.edge_url.text, self.take_input(field))
