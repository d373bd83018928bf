"""Drive the real handheld app through a receipt and its putaway with wedge-scanner input; exit 0 if all was done.

Run as a script (not collected by pytest): python kivy_receiving_driver.py EDGE_URL DEVICE_DB SCREENSHOT_DIR CODE PALLET
"""
import sys
from pathlib import Path

from kivy_pick_driver import drive, enrol_and_sign_in, wedge_scan  # sets the headless Kivy environment up first

from handheld.main import HandheldApp  # noqa: E402


def script(app: HandheldApp, shots: Path, log: list, code: str, pallet: str):
    """Yield between steps; each step waits for the app to reach the state it needs."""
    def screen():
        return app.manager.current_screen

    yield from enrol_and_sign_in(app, code)
    app.show_receiving()
    while "ASN-UI-1" not in app.receiving.state.receipts:
        yield
    wedge_scan("ASN-UI-1")
    yield
    wedge_scan(pallet)
    yield
    screen().export_to_png(str(shots / "receiving-pallet.png"))
    log.append(app.receiving.state.feedback.message)
    screen().close_receipt()
    while app.store.pending_count():
        yield
    app.show_putaway()
    while not app.putaway.state.task_id:
        yield
    yield
    log.append(screen().prompt)
    wedge_scan("LOC-A-01-01")
    yield
    screen().export_to_png(str(shots / "putaway-reason.png"))
    screen().ids.reasons.children[-1].trigger_action(0)  # the first reason offered
    while app.store.pending_count():
        yield
    yield
    log.append(app.putaway.state.feedback.message)


def main() -> int:
    return drive("HH-UI-02", lambda app, shots, log: script(app, shots, log, sys.argv[4], sys.argv[5]))


if __name__ == "__main__":
    sys.exit(main())
