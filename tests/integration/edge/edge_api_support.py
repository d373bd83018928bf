"""Helpers for the tests in this folder, under a name of their own.

Every test folder has a conftest.py, so `from conftest import` found another folder's when several ran together.
"""
import sqlite3
import uuid
from pathlib import Path

from edge.adapters.central_inbox import apply_command
from sync.sqlite_store import write_transaction

SAMPLE_SEED = Path(__file__).resolve().parents[3] / "deploy" / "sample" / "DC01.json"


ITEMS = {
    "SKU-BLUE-MUG": {"sku": "SKU-BLUE-MUG", "description": "Blue mug 350 ml", "gtins": ["05012345678900"]},
    "SKU-KETTLE": {"sku": "SKU-KETTLE", "description": "Kettle 1.7 l, steel", "gtins": ["05012345678931"]},
    "SKU-TEAPOT": {"sku": "SKU-TEAPOT", "description": "Teapot 1 l, white", "gtins": ["05012345678948"]},
}


class CentreSimulator:
    """Send the site commands the way the sync inbox would: one transaction each, in cmd_seq order."""

    def __init__(self, db_path: str):
        self.db_path, self.seq = db_path, 0

    def send(self, command_type: str, data: dict) -> None:
        self.seq += 1
        event = {"seq": self.seq, "event_id": str(uuid.uuid4()), "type": command_type,
                 "occurred_at": "2025-03-03T08:00:00+00:00", "recorded_at": "2025-03-03T08:00:01+00:00",
                 "device_id": None, "op_id": None, "data": data}
        with write_transaction(self.db_path) as db:
            apply_command(db, "DC01", event)

    def allocate(self, order_id: str, lines: list[tuple[str, int]], priority: int = 5,
                 ship_date: str = "2025-03-04") -> None:
        self.send("order.allocated", {
            "order_id": order_id, "customer": "Tea Rooms Ltd", "priority": priority,
            "requested_ship_date": ship_date,
            "lines": [{"line_no": n, "sku": sku, "qty": qty, "item": ITEMS[sku]}
                      for n, (sku, qty) in enumerate(lines, start=1)]})


class FakeSync:
    """Stand in for the sync endpoint: count nudges, report a fixed health."""

    def __init__(self):
        self.nudges = 0

    def nudge(self) -> None:
        self.nudges += 1

    def health(self) -> dict:
        return {"connected": False, "outbox_depth": 0}


def sign_in(client, badge: str = "BADGE-0001", pin: str = "1234", device_id: str = "HH-01") -> dict:
    response = client.post("/api/v1/sessions", json={"badge": badge, "pin": pin, "device_id": device_id})
    assert response.status_code == 201, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def op() -> str:
    return str(uuid.uuid4())


def dump(db_path: str, skip: tuple[str, ...] = ()) -> dict:
    """Read every table (but `skip`), so a test can show that a refused request changed nothing at all."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                  if r[0] not in skip]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    finally:
        conn.close()


def outbox(db_path: str, after_seq: int = 0) -> list[dict]:
    import json
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT seq, type, device_id, op_id, occurred_at, data FROM sync_outbox"
                            " WHERE stream = 'up' AND seq > ? ORDER BY seq", [after_seq]).fetchall()
        return [dict(r, data=json.loads(r["data"])) for r in rows]
    finally:
        conn.close()


def stock(db_path: str) -> dict:
    conn = sqlite3.connect(db_path)
    try:
        return {(loc, sku): qty for loc, sku, qty in conn.execute("SELECT location, sku, qty FROM stock")}
    finally:
        conn.close()


STAFF_PASSWORD = "correct-horse-42"


def add_login(db_path: str, username: str, role: str, password: str = STAFF_PASSWORD) -> None:
    """Create a dashboard login straight in the site database."""
    from edge.bootstrap import add_staff_user

    add_staff_user(db_path, "DC01", username, role, password)


def csrf_token(client) -> str:
    """Return the CSRF token of the client's current session, read from the login form as a browser would."""
    html = client.get("/login").get_data(as_text=True)
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def log_in(client, username: str, password: str = STAFF_PASSWORD) -> str:
    """Log a client in to the dashboard and return a CSRF token valid for its session."""
    answer = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(client)})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return csrf_token(client)
