"""A revoked or unknown handheld goes back to enrolment keeping its ops; the pick screen's Skip button."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handheld.edge_client import EdgeRefused

from fake_edge import FakeEdgeClient, a_task
from rig import Rig

ROOT = Path(__file__).resolve().parents[3]
REVOKED = (403, "device_revoked", "Handheld HH-07 was withdrawn by the site lead.")


@pytest.fixture
def edge():
    return FakeEdgeClient([a_task("T-1", qty=1), a_task("T-2", sku="SKU-KETTLE", location="B-01-01", qty=1)])


@pytest.fixture
def rig(tmp_path, edge):
    rig = Rig(str(tmp_path / "device.db"), edge)
    rig.pick.start()
    return rig


def test_a_revoked_device_is_sent_to_enrolment_and_keeps_its_queued_ops(rig, edge):
    rig.pick.on_scan("LOC-A-01-01")
    edge.refuse["/tasks/"] = REVOKED
    rig.pick.next_task()
    assert rig.withdrawn == [REVOKED[2]] and rig.signed_out == 0
    assert rig.store.pending_count() == 1


def test_an_unknown_device_token_on_download_means_enrol_again_not_sign_in_again(rig, edge):
    edge.refuse["tasks/mine"] = (401, "device_not_enrolled", "This handheld is not enrolled at this site.")
    rig.pick.next_task()
    assert rig.withdrawn == ["This handheld is not enrolled at this site."] and rig.signed_out == 0


def test_a_session_refusal_still_asks_for_sign_in_only(rig, edge):
    edge.refuse["tasks/mine"] = (401, "not_signed_in", "You are not signed in.")
    rig.pick.next_task()
    assert rig.signed_out == 1 and rig.withdrawn == []


def test_sign_in_on_a_revoked_device_goes_to_enrolment(tmp_path):
    class RevokedEdge(FakeEdgeClient):
        def sign_in(self, badge, pin):
            raise EdgeRefused(*REVOKED)
    rig = Rig(str(tmp_path / "device.db"), RevokedEdge([]))
    rig.signin.on_scan("BADGE-0001")
    rig.signin.on_pin("1234")
    assert rig.withdrawn == [REVOKED[2]] and rig.signed_in == []


def test_skip_puts_the_task_back_and_moves_on(rig, edge):
    rig.pick.on_postpone()
    assert edge.paths() == ["postpone"] and rig.pick.state.task_id == "T-2"
    assert "put back for later" in rig.pick.state.feedback.message


def test_the_pick_screen_has_a_skip_button_wired_to_postpone(tmp_path):
    kv = (ROOT / "handheld" / "screens" / "pick.kv").read_text()
    assert 'text: "Skip"\n                on_release: root.skip()' in kv
    code = ("from types import SimpleNamespace; from handheld.screens.pick import PickScreen; calls = []; "
            "PickScreen.skip(SimpleNamespace(presenter=SimpleNamespace(on_postpone=lambda: calls.append(1)))); "
            "print('CALLS', calls)")
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", KIVY_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert "CALLS [1]" in done.stdout, done.stderr
