"""The shared shape of every screen: a prompt, a feedback band and one focused scan field."""
from kivy.properties import ListProperty, StringProperty
from kivy.uix.screenmanager import Screen

from . import TONE_COLOURS
from .sounds import ScanFeedbackPlayer

PLAYER = None  # made on first feedback, not at import time


def feedback_player() -> ScanFeedbackPlayer:
    global PLAYER
    if PLAYER is None:
        PLAYER = ScanFeedbackPlayer()
    return PLAYER


class ScanScreen(Screen):
    """Copy the presenter's prompt and feedback onto properties; keep the scan field focused."""

    prompt = StringProperty("")
    message = StringProperty("")
    tone_colour = ListProperty(TONE_COLOURS["info"])

    def bind_presenter(self, presenter) -> None:
        self.presenter = presenter

    def show_feedback(self, state) -> None:
        self.prompt, self.message = state.prompt, state.feedback.message
        self.tone_colour = TONE_COLOURS[state.feedback.tone]
        if state.feedback is not getattr(self, "_sounded", None):  # a re-render must not beep again
            self._sounded = state.feedback
            if state.feedback.message:
                feedback_player().play(state.feedback.tone)

    def on_enter(self, *args) -> None:
        self.ids.scan.focus = True

    def take_input(self, field) -> str:
        """Return what the scanner (or keypad) typed, clearing the field for the next scan."""
        text, field.text = field.text, ""
        field.focus = True  # a wedge scanner types into whatever has focus: keep it here
        return text
