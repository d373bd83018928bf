"""The command writer: hot handheld commands from worker processes run in one writer, answered exactly as at home.

The writer runs on a thread here, over the same local socket, key and pickling as in the site agent; the app is the
HTTP workers' app (COMMAND_WRITER set). A second app runs the same walk on a copy of the database without it.
"""
import logging
import os
import sqlite3
import threading
import time
from multiprocessing.connection import Client, Listener

import pytest

from edge_api_support import outbox, stock
from edge.adapters import command_writer
from edge.adapters.command_writer import WriterClient, new_writer_settings
from edge.bootstrap import start_command_writer
from edge.service.commands import SignIn
from edge.web import create_app
from handheld_walk_support import OPS, refused, walk


def copy_of(db_path: str, tmp_path) -> str:
    path = str(tmp_path / "plain.db")
    source, copy = sqlite3.connect(db_path), sqlite3.connect(path)
    source.backup(copy)  # WAL-safe copy
    source.close()
    copy.close()
    return path


def writer_client(app) -> WriterClient:
    return app.extensions["wes_edge"].bus.run_grouped.__self__


@pytest.fixture
def allocated(db_path, centre, tmp_path) -> str:
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3), ("SKU-KETTLE", 1)])
    return copy_of(db_path, tmp_path)


def test_hot_commands_go_through_the_writer_and_are_answered_as_without_it(db_path, allocated, sync):
    settings = new_writer_settings()
    writer = start_command_writer(db_path, settings)
    try:
        config = {"SITE_ID": "DC01", "SYNC": sync, "TESTING": True}
        app = create_app({**config, "DB_PATH": db_path, "COMMAND_WRITER": settings})
        through_writer = walk(app.test_client(), db_path)
        at_home = walk(create_app({**config, "DB_PATH": allocated}).test_client(), allocated)
    finally:
        writer.stop()
    assert through_writer == at_home
    assert writer.commands == 14 and writer.batches == 14  # every hot command the walk sent, one by one
    assert writer_client(app).local_runs == 0
    assert through_writer[2][3]["error"] == "wrong_location"  # a refusal crossed the socket with its own text
    assert stock(db_path) == stock(allocated)
    assert ([(e["type"], e["op_id"], e["data"]) for e in outbox(db_path)]
            == [(e["type"], e["op_id"], e["data"]) for e in outbox(allocated)])
    assert refused(db_path) == refused(allocated) == [(OPS[8], "lease_lost")]


def test_without_a_writer_a_worker_runs_its_commands_itself(db_path, allocated, sync):
    config = {"SITE_ID": "DC01", "SYNC": sync, "TESTING": True}
    app = create_app({**config, "DB_PATH": db_path, "COMMAND_WRITER": new_writer_settings()})  # nobody listening
    alone = walk(app.test_client(), db_path)
    at_home = walk(create_app({**config, "DB_PATH": allocated}).test_client(), allocated)
    assert alone == at_home
    assert writer_client(app).local_runs == 14
    assert stock(db_path) == stock(allocated)


def test_a_caller_with_the_wrong_key_is_refused_and_runs_its_command_itself(db_path, allocated, sync, caplog):
    settings = new_writer_settings()
    writer = start_command_writer(db_path, settings)
    try:
        forged = {**settings, "key": new_writer_settings()["key"]}
        app = create_app({"SITE_ID": "DC01", "SYNC": sync, "TESTING": True, "DB_PATH": db_path,
                          "COMMAND_WRITER": forged})
        with caplog.at_level(logging.WARNING):
            seen = walk(app.test_client(), db_path)
    finally:
        writer.stop()
    assert writer.commands == 0 and writer_client(app).local_runs == 14
    assert seen[4][2] == 200  # the location scan went through, run in the worker
    assert "command writer refused a caller" in caplog.text


def test_the_writer_refuses_a_command_that_is_not_a_hot_one(db_path):
    settings = new_writer_settings()
    writer = start_command_writer(db_path, settings)
    try:
        client = WriterClient(settings, fallback=lambda handler, cmd: pytest.fail("ran locally"))
        with pytest.raises(TypeError, match="only the handheld's hot commands, not SignIn"):
            client.run(None, SignIn("BADGE-0001", "1234", "HH-01"))
    finally:
        writer.stop()
    assert writer.commands == 0


def test_a_writer_that_stops_leaves_the_workers_running_their_commands(db_path, allocated, sync):
    settings = new_writer_settings()
    writer = start_command_writer(db_path, settings)
    app = create_app({"SITE_ID": "DC01", "SYNC": sync, "TESTING": True, "DB_PATH": db_path,
                      "COMMAND_WRITER": settings, "DEVICE_AUTH": "optional"})
    client = app.test_client()
    session = client.post("/api/v1/sessions", json={"badge": "BADGE-0001", "pin": "1234", "device_id": "HH-01"})
    headers = {"Authorization": f"Bearer {session.json['token']}"}
    first = client.get("/api/v1/tasks/next", headers=headers).json["task"]
    writer.stop()
    again = client.get("/api/v1/tasks/next", headers=headers).json["task"]
    assert again["task_id"] == first["task_id"]  # the unfinished task first, whoever runs the command
    assert writer.commands == 1 and writer_client(app).local_runs == 1


def test_a_writer_that_fails_closes_its_connections_so_workers_run_their_commands_at_once(db_path, allocated, sync,
                                                                                           caplog):
    def fail_after_commit():
        raise RuntimeError("nudge failed")

    settings = new_writer_settings()
    writer = start_command_writer(db_path, settings, on_commit=fail_after_commit)
    app = create_app({"SITE_ID": "DC01", "SYNC": sync, "TESTING": True, "DB_PATH": db_path,
                      "COMMAND_WRITER": settings, "DEVICE_AUTH": "optional"})
    client = app.test_client()
    session = client.post("/api/v1/sessions", json={"badge": "BADGE-0001", "pin": "1234", "device_id": "HH-01"})
    headers = {"Authorization": f"Bearer {session.json['token']}"}
    with caplog.at_level(logging.WARNING):
        task = client.get("/api/v1/tasks/next", headers=headers).json["task"]
        scan = client.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=headers,
                           json={"op_id": OPS[0], "barcode": task["location_barcode"]})
    writer.stop()
    assert task["order_id"] == "SO-1" and scan.status_code == 200
    assert writer.commands == 1  # answered, then the writer failed: the scan found it gone and ran in the worker
    assert writer_client(app).local_runs == 1
    assert "command writer failed" in caplog.text


def test_a_worker_waits_no_longer_than_its_answer_timeout_then_runs_the_command_itself(monkeypatch, caplog):
    settings = new_writer_settings()
    silent = Listener(settings["address"], "AF_UNIX", authkey=bytes.fromhex(settings["key"]))  # never answers
    accepted = []
    threading.Thread(target=lambda: accepted.append(silent.accept()), daemon=True).start()
    monkeypatch.setattr(command_writer, "ANSWER_TIMEOUT_S", 0.3)
    client = WriterClient(settings, fallback=lambda handler, cmd: ("ran here", cmd))
    try:
        with caplog.at_level(logging.WARNING):
            started = time.monotonic()
            assert client.run(None, "a command") == ("ran here", "a command")
        assert time.monotonic() - started >= 0.3
        assert client.local_runs == 1 and "no answer in 0.3 s" in caplog.text
        assert accepted[0].recv() == "a command"  # it did reach the writer's side first
    finally:
        silent.close()
        for conn in accepted:
            conn.close()


@pytest.mark.parametrize("junk", [len(b"\x80\x05not a pickle").to_bytes(4, "big") + b"\x80\x05not a pickle",
                                  (1 << 30).to_bytes(4, "big") + b"\x80\x05"],
                         ids=["a whole message that is no pickle", "a length of 1 GiB"])
def test_the_writer_drops_a_connection_that_sends_what_is_not_a_message_and_serves_the_others(db_path, caplog, junk):
    settings = new_writer_settings()
    writer = start_command_writer(db_path, settings)
    try:
        rogue = Client(settings["address"], "AF_UNIX", authkey=bytes.fromhex(settings["key"]))
        with caplog.at_level(logging.WARNING):
            os.write(rogue.fileno(), junk)  # past the key handshake: raw bytes where a framed pickle belongs
            assert wait_closed(rogue)
        rogue.close()
        client = WriterClient(settings, fallback=lambda handler, cmd: pytest.fail("ran locally"))
        with pytest.raises(TypeError, match="not SignIn"):  # still serving: the refusal comes from the writer
            client.run(None, SignIn("BADGE-0001", "1234", "HH-01"))
    finally:
        writer.stop()
    assert "command writer dropped a worker connection" in caplog.text


def wait_closed(conn, timeout_s: float = 5.0) -> bool:
    """True once the other side has closed the connection."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if conn.poll(0.1):
            try:
                conn.recv_bytes()
            except EOFError:
                return True
    return False
