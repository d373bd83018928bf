"""Device and session lookups are remembered per process, yet a change made by any other process counts at once.

The other process is played by a plain sqlite3 connection (nothing of ours in it) or by a second app instance:
the next request to the first app must be refused, with the answers the handheld always got.
"""
import os
import signal
import sqlite3
import time

import pytest

from edge.adapters import auth_cache
from edge.web import create_app
from test_edge_devices_and_leases import enrol, sign_in


def app_over(db_path):
    return create_app({"SITE_ID": "DC01", "DB_PATH": db_path, "TESTING": True, "DEVICE_AUTH": "required",
                       "LEASE_MINUTES": 30}).test_client()


@pytest.fixture
def first(db_path):
    return app_over(db_path)


@pytest.fixture
def signed_in(first, db_path) -> dict:
    headers = sign_in(first, enrol(first, db_path))
    for _ in range(2):  # the second answer comes from what the first lookup remembered
        assert first.get("/api/v1/tasks/next", headers=headers).status_code == 200
    return headers


def elsewhere(db_path, sql: str, params=()) -> None:
    """Change the database the way another process would: its own connection, its own transaction."""
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def test_a_device_revoked_elsewhere_is_refused_on_the_very_next_request(first, signed_in, db_path):
    elsewhere(db_path, "UPDATE devices SET revoked_at = '2025-03-03T09:00:00+00:00' WHERE device_id = 'HH-07'")
    refused = first.get("/api/v1/tasks/next", headers=signed_in)
    assert (refused.status_code, refused.json["error"]) == (403, "device_revoked")


def test_a_session_ended_elsewhere_is_refused_on_the_very_next_request(first, signed_in, db_path):
    elsewhere(db_path, "DELETE FROM sessions WHERE device_id = 'HH-07'")
    refused = first.post("/api/v1/tasks/T-1/picks", headers=signed_in,
                         json={"op_id": "11111111-1111-4111-8111-111111111111", "barcode": "x", "qty": 1})
    assert (refused.status_code, refused.json["error"]) == (401, "not_signed_in")


def test_a_device_re_enrolled_through_another_app_refuses_its_old_token_on_the_first_app(first, signed_in, db_path):
    second = app_over(db_path)
    new_token = enrol(second, db_path)  # same device id: a new token, its sessions ended
    old = first.get("/api/v1/tasks/next", headers=signed_in)
    assert (old.status_code, old.json["error"]) == (401, "device_not_enrolled")
    signed_in_again = sign_in(first, new_token)
    assert first.get("/api/v1/tasks/next", headers=signed_in_again).status_code == 200


@pytest.mark.parametrize("sql", [
    "INSERT INTO devices (device_id, token_hash, enrolled_at) VALUES ('HH-99', 'h99', 'now')",
    "UPDATE devices SET revoked_at = 'now' WHERE device_id = 'HH-07'",
    "DELETE FROM devices WHERE device_id = 'HH-07'",
    "INSERT INTO sessions (token_hash, badge, device_id, created_at) VALUES ('s99', 'BADGE-0001', 'HH-07', 'now')",
    "UPDATE sessions SET device_id = 'HH-08'",
    "DELETE FROM sessions",
    "INSERT OR REPLACE INTO pickers (badge, name, pin_hash) SELECT badge, 'Renamed', pin_hash FROM pickers",
    "UPDATE pickers SET name = 'Renamed'",
])
def test_every_change_to_devices_sessions_or_pickers_moves_the_auth_version(signed_in, db_path, sql):
    def version():
        conn = sqlite3.connect(db_path)
        try:
            return conn.execute("SELECT token FROM auth_version WHERE id = 1").fetchone()[0]
        finally:
            conn.close()
    before = version()
    elsewhere(db_path, sql)
    assert version() != before


def test_a_worker_forked_while_another_thread_looks_a_token_up_still_finds_callers(first, signed_in, db_path):
    token = signed_in["X-Device-Token"]
    with auth_cache._guard:  # as if a request thread of the parent were inside a lookup at the fork
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            code = 1
            try:
                with auth_cache.token_lookups(db_path) as lookups:
                    code = 0 if lookups.device(token)["device_id"] == "HH-07" else 2
            finally:
                os._exit(code)
    for _ in range(200):  # a child stuck on the parent's lock never exits: give up after ~10 s, do not hang
        done, status = os.waitpid(child, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        raise AssertionError("the forked worker hung on the lookup lock")
    assert os.waitstatus_to_exitcode(status) == 0
