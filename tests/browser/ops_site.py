"""A real centre served by waitress on a free loopback port, with three sites' orders and a few hours of ledger."""
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from waitress import wasyncore
from waitress.server import create_server

from central.adapters.hub_hooks import apply_event
from central.service.commands import RecordSiteState
from central.web import create_app
from sync.sqlite_store import SqliteInboxStore

SKUS = ("SKU-BLUE-MUG", "SKU-KETTLE", "SKU-TEAPOT")


class QuietHub:
    """Stand in for the hub's sync endpoint: connected, nothing waiting."""

    def nudge(self) -> None:
        pass

    def health(self) -> dict:
        return {"connected": True, "dead_letters": 0, "dead_letters_open": 0}


def event(event_type: str, data: dict, occurred_at: datetime) -> dict:
    stamp = occurred_at.isoformat(timespec="milliseconds")
    return {"event_id": str(uuid.uuid4()), "type": event_type, "occurred_at": stamp, "recorded_at": stamp,
            "device_id": "HH-01", "op_id": None, "data": data}


class ServedCentre:
    """Register three sites, give them stock, take orders, replay a shift of picking, serve the app."""

    def __init__(self, workdir: Path):
        self.db_path = str(workdir / "central.db")
        self.app = create_app({"DB_PATH": self.db_path, "SYNC": QuietHub()})
        self.api = self.app.test_client()  # the order desk's side, on the same database
        self.inbox = SqliteInboxStore(self.db_path)
        self.server = create_server(self.app, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> "ServedCentre":
        self.thread.start()
        return self

    def _serve(self) -> None:
        """Run waitress's loop until asked to stop, then close it from this same thread.

        Closing from another thread races the loop (a select on a closed descriptor); the htmx polls of the live
        pages keep requests in flight up to the end.
        """
        while not self.stopping.is_set():
            self.server.asyncore.loop(timeout=0.1, map=self.server._map, count=1)
        self.server.task_dispatcher.shutdown()
        wasyncore.close_all(self.server._map)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(5)

    def send(self, site: str, *events: dict) -> None:
        """Apply site events the way the hub does, so they land in the ledger."""
        hwm = self.inbox.hwm(site, 1)
        self.inbox.apply_batch(site, 1, [e | {"seq": hwm + n} for n, e in enumerate(events, start=1)], apply_event)

    def order(self, customer: str, lines: list[tuple[str, int]], priority: int = 5, **fields) -> dict:
        answer = self.api.post("/api/v1/orders", headers={"X-Operator": "kim.orders"}, json={
            "customer": customer, "priority": priority, "requested_ship_date": datetime.now(timezone.utc).date().isoformat(),
            "lines": [{"sku": sku, "qty": qty} for sku, qty in lines], **fields})
        assert answer.status_code == 201, answer.json
        return answer.json

    def seed(self) -> "ServedCentre":
        now = datetime.now(timezone.utc)
        for site_id, name in (("DC01", "Leeds"), ("DC02", "Bristol"), ("DC03", "Glasgow")):
            self.api.post("/api/v1/sites", json={"site_id": site_id, "name": name})
        for sku in SKUS:
            self.api.put(f"/api/v1/items/{sku}", json={"description": sku.title(), "gtins": []})
        stock = {"DC01": 400, "DC02": 150, "DC03": 60}
        for site, qty in stock.items():
            self.send(site, *(event("stock.changed", {"location": f"A-01-0{n}", "sku": sku, "lot": "",
                                                      "qty_delta": qty, "reason": "count", "ref": ""}, now)
                              for n, sku in enumerate(SKUS, start=1)))
        busy = self.order("Leeds Kitchens", [("SKU-BLUE-MUG", 200), ("SKU-KETTLE", 40)], priority=1)
        self.order("Bristol Cafe", [("SKU-TEAPOT", 90)], priority=3)
        self.order("Acme Ltd", [("SKU-BLUE-MUG", 180)], priority=5, allow_split=True)
        self.order("Corner Shop", [("SKU-KETTLE", 5)], hold_reason="credit check")
        self.shipped = self.order("Glasgow Deli", [("SKU-TEAPOT", 20)], priority=2)
        for site in stock:
            self.app.extensions["central"].bus.handle(RecordSiteState(site, site != "DC03", {
                "online": site != "DC03", "epoch": 1, "last_seq": 9, "outbox_depth": 2}))
        picks = [event("task.picked", {"task_id": f"T-{n}", "order_id": busy["order_id"], "line_no": 1,
                                       "sku": "SKU-BLUE-MUG", "location": "A-01-01", "qty": 10,
                                       "picker": "BADGE-0001"}, now - timedelta(minutes=12 * n)) for n in range(1, 15)]
        shorts = [event("task.shorted", {"task_id": f"T-S{n}", "order_id": busy["order_id"], "line_no": 2,
                                         "sku": "SKU-KETTLE", "location": "A-01-02", "qty_short": 2,
                                         "reason": "slot empty", "picker": "BADGE-0002"}, now - timedelta(minutes=n))
                  for n in (30, 20)]
        wrong = event("scan.rejected", {"task_id": "T-2", "step": "item", "expected": "SKU-BLUE-MUG",
                                        "scanned": "SKU-KETTLE", "picker": "BADGE-0001"}, now - timedelta(minutes=40))
        self.send("DC01", event("order.status_changed", {"order_id": busy["order_id"], "status": "picking",
                                                         "note": ""}, now - timedelta(hours=3)), *picks, *shorts, wrong)
        site = self.shipped["site_id"]
        self.send(site, *(event("order.status_changed", {"order_id": self.shipped["order_id"], "status": s, "note": ""},
                                now + timedelta(minutes=m)) for s, m in (("picking", 1), ("picked", 20), ("shipped", 45))))
        return self
