"""A devices-API test site: edge app over a devices file with fake printers, and staff logins."""
import json
import sqlite3
from pathlib import Path

from edge.bootstrap import add_staff_user
from edge.devices.dispatcher import PrintDispatcher
from edge.web import create_app
from protocols.labels import SsccSeries

PASSWORD = "correct-horse-42"


def write_devices_file(path: Path, pack_url: str, spare_url: str, series: SsccSeries) -> str:
    """Two 4x6 PACK printers (PACK-1 falls back to PACK-2) and a 4x2 rack printer."""
    path.write_text(json.dumps({
        "site_id": "DC01",
        "sscc": {"company_prefix": series.company_prefix, "extension_digit": series.extension_digit,
                 "first_serial": series.first_serial, "last_serial": series.last_serial},
        "printers": [
            {"name": "PACK-1", "url": pack_url, "dpi": 203, "width_mm": 101.6, "height_mm": 152.4,
             "station": "PACK", "fallback": "PACK-2"},
            {"name": "PACK-2", "url": spare_url, "dpi": 203, "width_mm": 101.6, "height_mm": 152.4, "station": "PACK"},
            {"name": "RACK-1", "url": "/dev/ttyUSB7", "dpi": 300, "width_mm": 101.6, "height_mm": 50.8}],
        "scanners": [{"name": "PACK-SCAN-1", "url": "/dev/null", "profile": "zebra-serial", "station": "PACK"},
                     {"name": "DOCK-SCAN-1", "url": "/dev/serial/by-id/usb-gone", "profile": "zebra-ssi"}]},
        indent=2))
    return str(path)


def make_app(db_path: str, devices_path: str | None):
    config = {"SITE_ID": "DC01", "DB_PATH": db_path, "TESTING": True, "DEVICE_AUTH": "optional"}
    if devices_path:
        config["DEVICE_CONFIG"] = devices_path
    return create_app(config)


def dispatcher_of(app, transport_factory) -> PrintDispatcher:
    """The dispatcher the print worker would run: over the app's live registry."""
    services = app.extensions["wes_edge"]
    return PrintDispatcher(services.db_path, services.devices, transport_factory=transport_factory)


def csrf_token(client) -> str:
    html = client.get("/login").get_data(as_text=True)
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def log_in(client, db_path: str, username: str, role: str) -> dict:
    """Create a login, log the client in, and return headers carrying its CSRF token."""
    add_staff_user(db_path, "DC01", username, role, PASSWORD)
    answer = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return {"X-CSRFToken": csrf_token(client)}


def dump(db_path: str) -> dict:
    """Read every table, so a test can show that a refused request changed nothing at all."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    finally:
        conn.close()


def audit_rows(db_path: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT actor, action, subject, reason FROM audit_log ORDER BY id").fetchall()
    finally:
        conn.close()
