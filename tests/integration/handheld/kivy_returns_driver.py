"""Drive the real handheld app through a customer return with wedge-scanner input; exit 0 if all was done.

Run as a script (not collected by pytest): python kivy_returns_driver.py EDGE_URL DEVICE_DB SCREENSHOT_DIR CODE
"""
import json
import sys
from pathlib import Path

from kivy_pick_driver import wedge_scan  # sets the headless Kivy environment up first

from kivy.clock import Clock  # noqa: E402

from handheld.main import HandheldApp  # noqa: E402


def script(app: HandheldApp, shots: Path, log: list, code: str):
    """Yield between steps; each step waits for the app to reach the state it needs."""
    def screen():
        return app.manager.current_screen

    while screen().name != "enrolment":
        yield
    yield
    wedge_scan(code)
    while screen().name != "signin":
        yield
    yield
    wedge_scan("BADGE-0001")
    yield
    wedge_scan("1234")
    while screen().name != "pick":
        yield
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
    edge_url, device_db, shots, code = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4]
    shots.mkdir(parents=True, exist_ok=True)
    app = HandheldApp(edge_url, "HH-UI-03", device_db)
    log: list = []
    result = {"ok": False}
    steps = script(app, shots, log, code)

    def tick(_dt):
        try:
            next(steps)
        except StopIteration:
            result["ok"] = True
            app.stop()
            return False

    Clock.schedule_once(lambda _dt: Clock.schedule_interval(tick, 0.15), 0.5)
    Clock.schedule_once(lambda _dt: app.stop(), 45)  # never hang: give up, report failure
    app.run()
    print(json.dumps(dict(result, log=log)))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
