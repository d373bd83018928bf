"""Drive the real handheld app like a keyboard-wedge scanner would; exit 0 only if the pick completed.

Run as a script (not collected by pytest): python kivy_pick_driver.py EDGE_URL DEVICE_DB SCREENSHOT_DIR CODE
"""
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", "480")
Config.set("graphics", "height", "800")

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402

from handheld.main import HandheldApp  # noqa: E402

ENTER = 13


def wedge_scan(text: str) -> None:
    """Type like a keyboard-wedge scanner: one key event per character, then Enter."""
    for char in text:
        Window.dispatch("on_key_down", ord(char), 0, char, [])
        Window.dispatch("on_textinput", char)
        Window.dispatch("on_key_up", ord(char), 0)
    Window.dispatch("on_key_down", ENTER, 0, None, [])
    Window.dispatch("on_key_up", ENTER, 0)


def enrol_and_sign_in(app: HandheldApp, code: str, shots: Path | None = None):
    """Yield until the device is enrolled with `code` and BADGE-0001 is signed in (the pick screen shows)."""
    def screen():
        return app.manager.current_screen

    while screen().name != "enrolment":
        yield
    yield
    if shots:
        screen().export_to_png(str(shots / "0-enrol.png"))
    wedge_scan(code)
    while screen().name != "signin":
        yield
    yield
    if shots:
        screen().export_to_png(str(shots / "1-sign-in.png"))
    wedge_scan("BADGE-0001")
    yield
    wedge_scan("1234")
    while screen().name != "pick":
        yield


def drive(device_id: str, steps) -> int:
    """Run the app for `device_id` (argv: EDGE_URL DEVICE_DB SCREENSHOT_DIR ...) through `steps(app, shots, log)`.

    Prints the result and the log as JSON; returns 0 only if every step was done within 45 s.
    """
    edge_url, device_db, shots = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    shots.mkdir(parents=True, exist_ok=True)
    app = HandheldApp(edge_url, device_id, device_db)
    log: list = []
    result = {"ok": False}
    walk = steps(app, shots, log)

    def tick(_dt):
        try:
            next(walk)
        except StopIteration:
            result["ok"] = True
            app.stop()
            return False

    Clock.schedule_once(lambda _dt: Clock.schedule_interval(tick, 0.15), 0.5)
    Clock.schedule_once(lambda _dt: app.stop(), 45)  # never hang: give up, report failure
    app.run()
    print(json.dumps(dict(result, log=log)))
    return 0 if result["ok"] else 1


def script(app: HandheldApp, shots: Path, log: list, code: str):
    """Yield between steps; each step waits for the app to reach the state it needs."""
    def screen():
        return app.manager.current_screen

    yield from enrol_and_sign_in(app, code, shots)
    while app.pick.state.step != "scan_location":
        yield
    yield
    screen().export_to_png(str(shots / "2-go-to-location.png"))
    wedge_scan("LOC-B-01-01")
    yield
    log.append(app.pick.state.feedback.message)
    screen().export_to_png(str(shots / "3-wrong-location.png"))
    wedge_scan("LOC-A-01-01")
    yield
    screen().export_to_png(str(shots / "4-scan-item.png"))
    wedge_scan("]C1010501234567890010LOT42<GS>17301231")
    yield
    wedge_scan("2")
    yield
    screen().export_to_png(str(shots / "5-confirm-quantity.png"))
    screen().ids.confirm.trigger_action(0)
    while app.pick.state.step not in ("no_task", "offline") or app.store.pending_count():
        yield
    for _ in range(3):
        yield
    app.status.refresh()
    yield
    screen().export_to_png(str(shots / "6-task-done.png"))
    log.append(app.pick.state.feedback.message)
    log.append(app.status_text)


def main() -> int:
    return drive("HH-UI-01", lambda app, shots, log: script(app, shots, log, sys.argv[4]))


if __name__ == "__main__":
    sys.exit(main())
