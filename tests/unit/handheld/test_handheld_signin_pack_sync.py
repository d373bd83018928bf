"""Sign-in (online, offline, resume), pack/ship, the status bar and the sync loop's backoff."""
import random

import pytest

from handheld.presenters.feedback import BAD, GOOD
from handheld.presenters.signin import BADGE_STEP, PIN_STEP
from handheld.presenters.status import StatusBarState
from handheld.sync_loop import Backoff

from fake_edge import FakeEdgeClient, a_task
from rig import Rig


@pytest.fixture
def edge():
    return FakeEdgeClient([a_task()])


@pytest.fixture
def rig(tmp_path, edge):
    return Rig(str(tmp_path / "device.db"), edge)


def test_sign_in_with_badge_and_pin_saves_the_session(rig, edge):
    rig.signin.on_scan("SKU-BLUE-MUG")
    assert "not a badge" in rig.signin.state.feedback.message
    rig.signin.on_scan("]C0badge-0001\r")
    assert (rig.signin.state.step, rig.signin.state.badge) == (PIN_STEP, "BADGE-0001")
    rig.signin.on_pin("9999")
    assert rig.signin.state.feedback.tone == BAD and rig.signed_in == []
    rig.signin.on_pin("1234")
    assert rig.signed_in == [{"badge": "BADGE-0001", "name": "Sam Picker"}]
    assert rig.store.session()["token"] == "tok-BADGE-0001"


def test_offline_sign_in_only_for_the_badge_and_pin_saved_here(rig, edge):
    rig.signin.on_scan("BADGE-0001")
    rig.signin.on_pin("1234")
    edge.reachable = False
    rig.signin.on_scan("BADGE-0002")
    rig.signin.on_pin("2345")
    assert "has not signed in on this device" in rig.signin.state.feedback.message
    rig.signin.on_scan("BADGE-0001")
    rig.signin.on_pin("0000")
    assert rig.signin.state.feedback.tone == BAD
    rig.signin.on_scan("BADGE-0001")
    rig.signin.on_pin("1234")
    assert len(rig.signed_in) == 2 and rig.signin.state.step == BADGE_STEP


def test_resume_after_restart_reuses_the_saved_token(tmp_path, rig, edge):
    assert rig.signin.resume() is False
    rig.signin.on_scan("BADGE-0001")
    rig.signin.on_pin("1234")
    fresh_edge = FakeEdgeClient([a_task()])
    again = Rig(str(tmp_path / "device.db"), fresh_edge)
    assert again.signin.resume() is True
    assert fresh_edge.token == "tok-BADGE-0001" and again.signed_in[-1]["name"] == "Sam Picker"


def test_pack_closes_a_carton_and_ships_through_the_queue(rig, edge):
    edge.orders_ready = [{"order_id": "SO-1001"}]
    rig.pack.start()
    assert rig.pack.state.orders == ("SO-1001",)
    rig.pack.on_close_carton()
    assert rig.pack.state.feedback.tone == BAD
    rig.pack.on_scan("SO-1001")
    rig.pack.on_close_carton()
    rig.pack.on_ship()
    assert rig.pack.state.feedback.tone == GOOD and "shipped" in rig.pack.state.feedback.message
    rig.sync.pump()
    assert [p for p, _ in edge.applied.values()] == ["/api/v1/orders/SO-1001/cartons",
                                                      "/api/v1/orders/SO-1001/shipment"]


def test_pack_without_connection_says_so(rig, edge):
    edge.reachable = False
    rig.pack.start()
    assert "No connection" in rig.pack.state.feedback.message


def test_sync_stops_on_sign_out_and_keeps_the_ops(rig, edge):
    rig.pick.start()
    rig.pick.on_scan("LOC-A-01-01")
    edge.refuse["/tasks/"] = (401, "not_signed_in", "You are not signed in.")
    assert rig.sync.pump().blocked == "signed_out"
    assert rig.store.pending_count() == 1 and rig.store.refusals() == []


def test_server_errors_are_retried_not_refused(rig, edge):
    rig.pick.start()
    rig.pick.on_scan("LOC-A-01-01")
    edge.refuse["/tasks/"] = (503, "unavailable", "Busy")
    assert rig.sync.pump().blocked == "unreachable"
    assert rig.store.pending_count() == 1


def test_backoff_grows_with_jitter_and_is_capped():
    backoff = Backoff(base=1.0, cap=60.0, rng=random.Random(7))
    delays = [backoff.delay(n) for n in range(1, 12)]
    assert 0.5 <= delays[0] <= 1.0
    assert 4.0 <= delays[3] <= 8.0
    assert all(30.0 <= d <= 60.0 for d in delays[7:])
    assert len({round(d, 6) for d in delays[7:]}) > 1


def test_status_bar_text():
    state = StatusBarState(False, 3, "2025-03-03T09:15:42+00:00", "Sam Picker", 1)
    assert state.text == "OFFLINE · 3 waiting · synced 09:15:42 · 1 refused · Sam Picker"
    assert StatusBarState().text.startswith("CONNECTING · 0 waiting · synced never")
