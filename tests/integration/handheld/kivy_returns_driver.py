"""Drive the real handheld app through a customer return with wedge-scanner input; exit 0 if all was done.

Run as a script (not collected by pytest): python kivy_returns_driver.py EDGE_URL DEVICE_DB SCREENSHOT_DIR CODE
"""
import sys
from pathlib import Path

from kivy_pick_driver import drive, enrol_and_sign_in, wedge_scan  # sets the headless Kivy environment up first

from handheld.main import HandheldApp  # noqa: E402


def script(app: HandheldApp, shots: Path, log: list, code: str):
    """Yield between steps; each step waits for the app to reach the state it needs."""
    def screen():
        return app.manager.current_screen

    yield from enrol_and_sign_in(app, code)
    app.show_returns()
    while "RMA-UI-1" not in app.returns.state.returns:
        yield
    wedge_scan("SO-UI-1")  # the order number on the parcel finds its RMA
    yield
    wedge_scan("SKU-KETTLE")
    yield
    screen().restock()
    yield
    log.append(screen().prompt)
    wedge_scan("LOC-B-01-01")
    yield
    log.append(app.returns.state.feedback.message)
    wedge_scan("SKU-BLUE-MUG")
    yield
    screen().scrap()
    yield
    screen().export_to_png(str(shots / "returns-scrap-reason.png"))
    screen().ids.reasons.children[-1].trigger_action(0)  # the first reason offered: Broken
    yield
    log.append(app.returns.state.feedback.message)
    screen().close_return()
    while app.store.pending_count():
        yield
    yield


def main() -> int:
    return drive("HH-UI-03", lambda app, shots, log: script(app, shots, log, sys.argv[4]))


if __name__ == "__main__":
    sys.exit(main())
