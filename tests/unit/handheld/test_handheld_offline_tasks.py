"""Downloaded (leased) tasks, fencing refusals, skip, the short pick's alternative, and device enrolment."""
import pytest

from handheld.edge_client import EdgeRefused, EdgeUnreachable
from handheld.local_store import REFUSED
from handheld.presenters.enrolment import DONE, FORM, EnrolmentPresenter
from handheld.presenters.feedback import BAD
from handheld.presenters.pick import SCAN_LOCATION
from handheld.presenters.ports import run_inline

from fake_edge import FakeEdgeClient, a_task
from rig import NOW, Rig


@pytest.fixture
def edge():
    return FakeEdgeClient([a_task("T-1", qty=1), a_task("T-2", sku="SKU-KETTLE", location="B-01-01", qty=1),
                           a_task("T-3", sku="SKU-TEAPOT", location="B-01-02", qty=1)])


@pytest.fixture
def rig(tmp_path, edge):
    rig = Rig(str(tmp_path / "device.db"), edge)
    rig.pick.start()
    return rig


def pick_current(rig):
    state = rig.pick.state
    rig.pick.on_scan(f"LOC-{state.location}")
    rig.pick.on_scan(state.sku)
    rig.pick.on_confirm()


def test_all_leased_tasks_are_cached_and_picked_with_no_connection(rig, edge):
    edge.reachable = False
    for expected in ("T-1", "T-2", "T-3"):
        assert rig.pick.state.task_id == expected
        pick_current(rig)
    assert rig.store.pending_count() == 6 and edge.applied == {}
    edge.reachable = True
    rig.pick.next_task()
    assert edge.picked == {"T-1": 1, "T-2": 1, "T-3": 1}
    assert {body["lease_epoch"] for _, body in edge.applied.values()} == {1}  # every op carries its lease


def test_a_fenced_op_is_shown_with_what_to_do(rig, edge):
    edge.reachable = False
    pick_current(rig)
    edge.reachable = True
    edge.refuse["/tasks/T-1/"] = (409, "lease_lost", "Task T-1 was handed to another picker.")
    assert rig.sync.pump().refused == 2
    assert [op.status for op in rig.store.ops()] == [REFUSED, REFUSED]
    rig.pick.on_sync_changed()
    assert rig.pick.state.feedback.tone == BAD
    assert "another picker while you were offline" in rig.pick.state.feedback.message


def test_skip_puts_the_task_back_and_moves_on(rig, edge):
    rig.pick.on_postpone()
    assert edge.paths() == ["postpone"]
    assert (rig.pick.state.task_id, rig.pick.state.step) == ("T-2", SCAN_LOCATION)
    assert "put back" in rig.pick.state.feedback.message


def test_a_short_pick_shows_the_alternative_location(rig, edge):
    edge.alternative = {"location": "C-01-01", "location_barcode": "LOC-C-01-01", "free": 100}
    rig.pick.on_scan("LOC-A-01-01")
    rig.pick.on_short()
    rig.pick.on_short_confirm("0", "not_found")
    assert "SKU-BLUE-MUG is also at C-01-01 (100 free)" in rig.pick.state.feedback.message
    assert rig.pick.state.task_id == "T-2"


class EnrollingEdge(FakeEdgeClient):
    base_url, device_id, device_token = "http://edge:8001", "HH-07", None

    def enrol(self, code):
        self._check()
        if code != "ABCD-EFGH":
            raise EdgeRefused(403, "enrolment_code_refused", "This enrolment code is wrong, already used or expired.")
        self.device_token = "DC01.secret"
        return {"device_token": self.device_token, "site_id": "DC01", "device_id": self.device_id}


def test_enrolment_stores_the_token_and_a_restart_reuses_it(tmp_path):
    edge, views, enrolled = EnrollingEdge([]), [], []
    rig = Rig(str(tmp_path / "device.db"), edge)
    presenter = EnrolmentPresenter(rig.store, edge, run_inline, views.append, lambda: NOW,
                                   lambda: enrolled.append(1))
    assert presenter.resume() is False and presenter.state.step == FORM
    presenter.on_enrol("edge:8001", "ABCD-EFGH")
    assert "address" in presenter.state.feedback.message
    edge.reachable = False
    presenter.on_enrol("http://edge:8001/", "ABCD-EFGH")
    assert "Cannot reach http://edge:8001" in presenter.state.feedback.message
    edge.reachable = True
    presenter.on_enrol("http://edge:8001", "WRONG-123")
    assert "wrong, already used or expired" in presenter.state.feedback.message and enrolled == []
    presenter.on_enrol("http://edge:8001", "ABCD-EFGH")
    assert presenter.state.step == DONE and enrolled == [1]

    fresh = EnrollingEdge([])
    again = EnrolmentPresenter(Rig(str(tmp_path / "device.db"), fresh).store, fresh, run_inline, views.append,
                               lambda: NOW, lambda: None)
    assert again.resume() is True and fresh.device_token == "DC01.secret"
    again.withdrawn("Handheld HH-07 was withdrawn by the site lead.")
    assert fresh.device_token is None and again.state.step == FORM and rig.store.device() is None


def test_a_withdrawn_device_keeps_its_ops_queued(rig, edge):
    edge.reachable = False
    pick_current(rig)
    edge.reachable = True
    edge.refuse["/tasks/"] = (403, "device_revoked", "Handheld HH-07 was withdrawn by the site lead.")
    assert rig.sync.pump().blocked == "withdrawn"
    assert rig.store.pending_count() == 2


def test_unreachable_download_falls_back_to_cached_tasks(rig, edge):
    class FlakyEdge(FakeEdgeClient):
        def my_tasks(self, limit):
            raise EdgeUnreachable("dropped")
    rig.pick.client = FlakyEdge([])
    rig.pick.next_task()
    assert rig.pick.state.task_id == "T-1"
