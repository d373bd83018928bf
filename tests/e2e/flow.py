"""Shared steps for end-to-end tests: a real broker, hub and site as processes on loopback."""
import sqlite3
from pathlib import Path

from deploy.mosquitto import free_port
from deploy.processes import central_process, edge_process, http_json, mint_enrolment_code, stock_map, wait_until
from handheld.edge_client import EdgeClient

SITE = "DC01"



class Network:
    """A broker, the centre and one site, each a real process, with handles to restart them."""

    def __init__(self, workdir: Path, broker):
        self.workdir, self.broker = workdir, broker
        self.central = central_process(workdir, broker.url, free_port(), resend_after=2)
        self.edge = edge_process(workdir, SITE, broker.url, free_port(), resend_after=2)

    def start(self) -> "Network":
        try:
            self.central.start()
            self.edge.start()
            wait_until(lambda: self.central_stock(), 30, "the centre to learn the site's stock")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.edge.stop()
        self.central.stop()

    def central_stock(self) -> dict:
        status, body = http_json("GET", f"{self.central.url}/api/v1/sites/{SITE}/stock")
        return stock_map(body["stock"]) if status == 200 else {}

    def edge_stock(self) -> dict:
        return stock_map(http_json("GET", f"{self.edge.url}/api/v1/stock")[1])

    def create_order(self, lines: list[dict], ref: str) -> str:
        status, body = http_json("POST", f"{self.central.url}/api/v1/orders", {
            "external_ref": ref, "customer": "Tea Rooms Ltd", "priority": 3,
            "requested_ship_date": "2026-12-01", "lines": lines})
        assert status == 201, body
        return body["order_id"]

    def central_order(self, order_id: str) -> dict:
        return http_json("GET", f"{self.central.url}/api/v1/orders/{order_id}")[1]

    def picker(self, badge: str = "BADGE-0001", pin: str = "1234", device: str = "HH-E2E-01") -> EdgeClient:
        client = EdgeClient(self.edge.url, device)
        client.enrol(mint_enrolment_code(self.workdir, SITE))
        client.sign_in(badge, pin)
        return client

    def edge_events(self) -> list[tuple]:
        with sqlite3.connect(self.workdir / f"edge-{SITE}.db") as conn:
            return conn.execute("SELECT seq, event_id FROM sync_outbox WHERE stream = 'up' ORDER BY seq").fetchall()

    def central_ledger(self) -> list[tuple]:
        with sqlite3.connect(self.workdir / "central.db") as conn:
            return conn.execute("SELECT seq, event_id FROM sync_inbox WHERE stream = ? ORDER BY seq", [SITE]).fetchall()

    def assert_synced_exactly_once(self) -> None:
        """Every edge event is in the centre's ledger once, seqs contiguous, stock views equal."""
        wait_until(lambda: len(self.central_ledger()) == len(self.edge_events()), 60, "the ledger to catch up")
        edge, ledger = self.edge_events(), self.central_ledger()
        assert ledger == edge
        assert [seq for seq, _ in ledger] == list(range(1, len(ledger) + 1))
        assert len({event_id for _, event_id in ledger}) == len(ledger)
        assert self.central_stock() == self.edge_stock()


def pick_everything(client: EdgeClient, limit: int = 50) -> int:
    """Work every task the edge offers this picker; return how many were picked."""
    picked = 0
    for _ in range(limit):
        task = client.next_task()
        if task is None:
            return picked
        if task["next_step"] == "scan_location":
            client.scan_location(task["task_id"], task["location_barcode"])
        client.pick(task["task_id"], task["item_barcodes"][0], task["qty"] - task["picked_qty"])
        picked += 1
    raise AssertionError("the edge kept offering tasks")
