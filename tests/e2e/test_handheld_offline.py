"""A handheld downloads its tasks, loses the edge, picks three tasks offline, restarts, and drains exactly once."""
from edge.bootstrap import create_enrolment_code
from handheld.edge_client import EdgeClient
from handheld.local_store import LocalStore
from handheld.presenters.enrolment import EnrolmentPresenter
from handheld.presenters.pick import NO_TASK, SCAN_LOCATION, PickPresenter
from handheld.presenters.ports import run_inline
from handheld.presenters.signin import SignInPresenter
from handheld.sync_loop import SyncLoop, utc_now

from .flow import SITE, wait_until

ORDER_LINES = [{"sku": "SKU-RED-MUG", "qty": 2}, {"sku": "SKU-TEAPOT", "qty": 1}, {"sku": "SKU-SPOON-SET", "qty": 3}]


class Handheld:
    """One handheld app without Kivy: presenters, the device SQLite file, the sync loop (pumped by hand)."""

    def __init__(self, edge_url: str, db_path: str):
        self.client = EdgeClient(edge_url, "HH-OFFLINE-01", timeout=2.0)
        self.store = LocalStore(db_path)
        self.sync = SyncLoop(self.store, self.client)
        self.enrolment = EnrolmentPresenter(self.store, self.client, run_inline, lambda s: None, utc_now,
                                            lambda: None)
        self.signin = SignInPresenter(self.store, self.client, run_inline, lambda s: None, utc_now,
                                      lambda picker: None)
        self.pick = PickPresenter(self.store, self.client, self.sync, run_inline, lambda s: None, utc_now)

    def open(self) -> None:
        """What the app does on start: load the device token and the saved session, show the current task."""
        assert self.enrolment.resume() and self.signin.resume()
        self.pick.start()

    def pick_current_task(self) -> None:
        state = self.pick.state
        assert state.step == SCAN_LOCATION, state
        task = self.store.task(state.task_id).data
        self.pick.on_scan(task["location_barcode"])
        self.pick.on_scan(task["item_barcodes"][-1])
        self.pick.on_qty(str(task["qty"] - task["picked_qty"]))
        self.pick.on_confirm()


def test_three_picks_made_offline_survive_a_restart_and_arrive_exactly_once(network, tmp_path):
    order_id = network.create_order(ORDER_LINES, "OFFLINE-1")
    wait_until(lambda: network.central_order(order_id)["status"] == "released", 30, "the site to release it")
    before = network.edge_stock()
    code = create_enrolment_code(str(tmp_path / f"edge-{SITE}.db"), SITE, 5)["enrolment_code"]

    device_db = str(tmp_path / "handheld.db")
    handheld = Handheld(network.edge.url, device_db)
    assert handheld.enrolment.resume() is False
    handheld.enrolment.on_enrol(network.edge.url, code)
    handheld.signin.on_scan("BADGE-0001")
    handheld.signin.on_pin("1234")
    handheld.pick.start()  # downloads (leases) all three tasks with their barcodes
    cached = [handheld.store.task(f"{SITE}-T{n:06d}") for n in (1, 2, 3)]
    assert [t.data["sku"] for t in cached] == [line["sku"] for line in ORDER_LINES]
    assert all(t.data["lease_epoch"] == 1 and t.data["location_barcode"] for t in cached)

    network.edge.stop()  # the handheld walks into a dead zone
    for _ in range(3):
        handheld.pick_current_task()
    assert handheld.store.pending_count() == 6  # a location scan and a pick per task
    assert handheld.pick.state.step in ("offline", NO_TASK)

    restarted = Handheld(network.edge.url, device_db)  # the app is closed and reopened, still offline
    restarted.open()
    assert restarted.store.pending_count() == 6

    network.edge.start()
    restarted.pick.next_task()  # pushes before pulls: the queue drains first
    assert restarted.store.pending_count() == 0
    assert [op.status for op in restarted.store.ops()] == ["sent"] * 6
    assert restarted.pick.state.step == NO_TASK

    after = network.edge_stock()
    for line, location in zip(ORDER_LINES, ("A-01-02", "B-01-02", "B-02-01")):
        assert after[(location, line["sku"], "")] == before[(location, line["sku"], "")] - line["qty"]
    assert after[("PACK", "SKU-SPOON-SET", "")] == before.get(("PACK", "SKU-SPOON-SET", ""), 0) + 3
    wait_until(lambda: network.central_order(order_id)["status"] == "picked", 60, "the centre to see the picks")
    network.assert_synced_exactly_once()
