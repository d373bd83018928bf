"""A real edge served by waitress on a free loopback port, a busy sample floor, and the system's headless Chromium."""
import shutil
import threading
import uuid
from datetime import date
from pathlib import Path

from waitress.server import create_server

from edge.adapters.central_inbox import apply_command
from edge.bootstrap import add_staff_user, seed_site
from edge.web import create_app
from sync.sqlite_store import write_transaction

SAMPLE_SEED = Path(__file__).resolve().parents[2] / "deploy" / "sample" / "DC01.json"
LEAD, PASSWORD = "maria", "correct-horse-42"
ITEMS = {sku: {"sku": sku, "description": sku.title(), "gtins": []}
         for sku in ("SKU-BLUE-MUG", "SKU-RED-MUG", "SKU-TEA-TOWEL", "SKU-KETTLE", "SKU-TEAPOT", "SKU-SPOON-SET")}


def chromium_path() -> str:
    """Find Debian's chromium; the tests use it rather than a browser Playwright downloads."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("Chromium is not installed: run `apt-get install chromium` (.ci/run does).")
    return found


class HealthySync:
    """Stand in for the sync endpoint of a connected site."""

    def nudge(self) -> None:
        pass

    def health(self) -> dict:
        return {"connected": True, "central_online": True, "epoch": 1, "last_seq": 42, "acked_through_seq": 42,
                "outbox_depth": 0, "last_ack_at": "2026-01-01T08:00:00+00:00", "dead_letters": 0}


class ServedEdge:
    """Seed a site, create a lead login and serve the edge app with waitress in a thread."""

    def __init__(self, workdir: Path):
        self.db_path = str(workdir / "edge-DC01.db")
        seed_site(self.db_path, "DC01", str(SAMPLE_SEED))
        add_staff_user(self.db_path, "DC01", LEAD, "lead", PASSWORD, "Maria Lead")
        self.app = create_app({"SITE_ID": "DC01", "DB_PATH": self.db_path, "SYNC": HealthySync(),
                               "DEVICE_AUTH": "optional"})
        self.api = self.app.test_client()  # the handheld side, on the same database
        self.server = create_server(self.app, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.seq = 0

    def start(self) -> "ServedEdge":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.close()
        self.thread.join(5)

    def allocate(self, order_id: str, lines: list[tuple[str, int]], priority: int = 5,
                 ship_date: str = "") -> None:
        """Release an order the way the sync inbox applies the centre's order.allocated."""
        self.seq += 1
        event = {"seq": self.seq, "event_id": str(uuid.uuid4()), "type": "order.allocated",
                 "occurred_at": "2026-01-01T06:00:00+00:00", "recorded_at": "2026-01-01T06:00:01+00:00",
                 "device_id": None, "op_id": None,
                 "data": {"order_id": order_id, "customer": f"Customer of {order_id}", "priority": priority,
                          "requested_ship_date": ship_date or date.today().isoformat(),
                          "lines": [{"line_no": n, "sku": sku, "qty": qty, "item": ITEMS[sku]}
                                    for n, (sku, qty) in enumerate(lines, start=1)]}}
        with write_transaction(self.db_path) as db:
            apply_command(db, "DC01", event)

    def sign_in(self, badge: str, pin: str, device_id: str) -> dict:
        answer = self.api.post("/api/v1/sessions", json={"badge": badge, "pin": pin, "device_id": device_id})
        return {"Authorization": f"Bearer {answer.json['token']}"}

    def work(self, picker: dict, found: int | None = None, wrong_scans: int = 0) -> dict:
        """Take the next task, scan its location, then pick it in full or (found given) report it short."""
        task = self.api.get("/api/v1/tasks/next", headers=picker).json["task"]
        path = f"/api/v1/tasks/{task['task_id']}"
        self.api.post(f"{path}/location-scan", headers=picker, json={"op_id": _op(), "barcode": task["location_barcode"]})
        for _ in range(wrong_scans):
            self.api.post(f"{path}/picks", headers=picker, json={"op_id": _op(), "barcode": "SKU-WRONG", "qty": 1})
        if found is None:
            self.api.post(f"{path}/picks", headers=picker, json={"op_id": _op(), "barcode": task["sku"],
                                                                 "qty": task["qty"]})
        else:
            self.api.post(f"{path}/short", headers=picker, json={"op_id": _op(), "qty_found": found,
                                                                 "reason": "slot empty"})
        return task


def _op() -> str:
    return str(uuid.uuid4())
