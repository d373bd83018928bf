"""Helpers for the tests in this folder, under a name of their own.

Every test folder has a conftest.py, so `from conftest import` found another folder's when several ran together.
"""
import threading
import uuid
from pathlib import Path

from werkzeug.serving import make_server

from edge.adapters.central_inbox import apply_command
from edge.web import create_app
from sync.sqlite_store import write_transaction

SAMPLE_SEED = Path(__file__).resolve().parents[3] / "deploy" / "sample" / "DC01.json"


ITEMS = {
    "SKU-BLUE-MUG": {"sku": "SKU-BLUE-MUG", "description": "Blue mug 350 ml", "gtins": ["05012345678900"]},
    "SKU-KETTLE": {"sku": "SKU-KETTLE", "description": "Kettle 1.7 l, steel", "gtins": ["05012345678931"]},
}


class QuietSync:
    """Stand in for the edge's MQTT sync endpoint (the edge outbox is checked directly)."""

    def nudge(self) -> None:
        pass

    def health(self) -> dict:
        return {"connected": False, "outbox_depth": 0}


class LiveEdge:
    """Serve the edge app for one DB on a fixed loopback port; stop() is the Wi-Fi dropping."""

    def __init__(self, db_path: str):
        self.db_path, self.port, self.server, self.thread = db_path, 0, None, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "LiveEdge":
        app = create_app({"SITE_ID": "DC01", "DB_PATH": self.db_path, "SYNC": QuietSync(), "TESTING": True,
                          "DEVICE_AUTH": "optional"})
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None

    def allocate(self, order_id: str, lines: list[tuple[str, int]]) -> None:
        """Release an order the way the sync inbox applies the centre's order.allocated."""
        event = {"seq": 1, "event_id": str(uuid.uuid4()), "type": "order.allocated",
                 "occurred_at": "2025-03-03T08:00:00+00:00", "recorded_at": "2025-03-03T08:00:01+00:00",
                 "device_id": None, "op_id": None,
                 "data": {"order_id": order_id, "customer": "Tea Rooms Ltd", "priority": 5,
                          "requested_ship_date": "2025-03-04",
                          "lines": [{"line_no": n, "sku": sku, "qty": qty, "item": ITEMS[sku]}
                                    for n, (sku, qty) in enumerate(lines, start=1)]}}
        with write_transaction(self.db_path) as db:
            apply_command(db, "DC01", event)
