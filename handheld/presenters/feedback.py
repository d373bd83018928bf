"""Scan feedback shown (and sounded) after every scan: good, bad or plain information."""
from dataclasses import dataclass

GOOD, BAD, INFO = "good", "bad", "info"


@dataclass(frozen=True)
class Feedback:
    """One message for the picker and its tone (colour, sound, vibration)."""

    tone: str = INFO
    message: str = ""


def good(message: str) -> Feedback:
    return Feedback(GOOD, message)


def bad(message: str) -> Feedback:
    return Feedback(BAD, message)


def info(message: str) -> Feedback:
    return Feedback(INFO, message)
