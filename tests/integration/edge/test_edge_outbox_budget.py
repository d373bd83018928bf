"""The outbox disk budget with a tiny budget: alarm, then refuse new work while started work goes on; prune acked rows."""
import logging
from datetime import datetime, timedelta, timezone

import pytest

from edge_api_support import FakeSync, op, outbox, sign_in
from edge.web import create_app
from sync.outbox_budget import MB, OutboxBudget, OutboxPruner
from sync.sqlite_store import OutgoingEvent, SqliteOutboxStore, append_outbox, read_connection, write_transaction


@pytest.fixture
def app(db_path):
    return create_app({"SITE_ID": "DC01", "DB_PATH": db_path, "SYNC": FakeSync(), "TESTING": True,
                       "DEVICE_AUTH": "optional", "OUTBOX_BUDGET_MB": 1, "OUTBOX_BUDGET_CHECK_SECONDS": 0})


def squeeze(app, used: float) -> OutboxBudget:
    """Set the budget so that what the outbox holds now is `used` of it."""
    budget = app.extensions["outbox_budget"]
    budget.budget_bytes = int(budget.unacked_bytes() / used)
    return budget


def test_alarm_then_full_refuses_new_tasks_but_started_work_goes_through(app, db_path, centre, caplog):
    client = app.test_client()
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3)])
    centre.allocate("SO-2", [("SKU-KETTLE", 1)])
    sam, alex = sign_in(client), sign_in(client, "BADGE-0002", "2345", "HH-02")
    assert client.get("/api/v1/sync").json["outbox_level"] == "ok"

    squeeze(app, 0.8)
    with caplog.at_level(logging.INFO, logger="sync.outbox_budget"):
        health = client.get("/api/v1/sync").json
    assert (health["outbox_level"], health["outbox_used"]) == ("alarm", pytest.approx(0.8, abs=0.01))
    assert "behind" in health["outbox_message"] and "behind" in caplog.text
    started = client.get("/api/v1/tasks/next", headers=sam).json["task"]  # alarm only: new work goes on
    assert started["order_id"] == "SO-1"

    squeeze(app, 0.96)
    rows_before = outbox(db_path)
    with caplog.at_level(logging.INFO, logger="sync.outbox_budget"):
        refused = client.get("/api/v1/tasks/next", headers=alex)
    assert refused.status_code == 503
    assert refused.json["error"] == "outbox_full" and "restore the link" in refused.json["message"]
    assert "Outbox full" in caplog.text
    assert client.get("/api/v1/tasks/mine?limit=5", headers=alex).status_code == 503
    assert client.get("/api/v1/tasks/next").status_code == 401  # a stranger still learns nothing
    assert client.get("/api/v1/sync").json["outbox_level"] == "full"

    # Sam's task was started before: he gets it again, and picks, cartons and shipments go through.
    again = client.get("/api/v1/tasks/next", headers=sam)
    assert again.status_code == 200 and again.json["task"]["task_id"] == started["task_id"]
    assert client.post(f"/api/v1/tasks/{started['task_id']}/location-scan", headers=sam,
                       json={"op_id": op(), "barcode": started["location_barcode"]}).status_code == 200
    pick = client.post(f"/api/v1/tasks/{started['task_id']}/picks", headers=sam,
                       json={"op_id": op(), "barcode": "5012345678900", "qty": 3})
    assert pick.status_code == 200 and pick.json["order_status"] == "picked"
    assert client.post("/api/v1/orders/SO-1/cartons", headers=sam, json={"op_id": op()}).status_code == 201
    assert client.post("/api/v1/orders/SO-1/shipment", headers=sam, json={"op_id": op()}).status_code == 200
    after = outbox(db_path)
    assert after[:len(rows_before)] == rows_before and len(after) > len(rows_before)  # nothing dropped
    assert client.get("/api/v1/tasks/next", headers=sam).status_code == 503      # no new task for Sam either

    app.extensions["outbox_budget"].budget_bytes = 100 * MB                  # the link caught up, or more room
    assert client.get("/api/v1/tasks/next", headers=alex).json["task"]["order_id"] == "SO-2"


def test_openapi_documents_the_sync_health_fields(app):
    spec = app.test_client().get("/api/openapi.json").json
    fields = spec["components"]["schemas"]["EdgeSyncHealth"]["properties"]
    assert {"connected", "peer_online", "lag_events", "lag_seconds", "outbox_depth", "last_ack_at",
            "dead_letters_open", "epoch", "outbox_level"} <= set(fields)
    assert "/api/v1/sync/dead-letters/{letter_id}/replay" in spec["paths"]


def age(db_path: str, hours: float) -> None:
    old = (datetime.now(timezone.utc) - timedelta(hours=hours)).isoformat(timespec="milliseconds")
    with write_transaction(db_path) as db:
        db.execute("UPDATE sync_outbox SET recorded_at = ?", [old])


def test_pruning_removes_only_old_acknowledged_rows_and_numbering_goes_on(db_path):
    store = SqliteOutboxStore(db_path, "up")
    last = store.last_seq()
    age(db_path, 48)
    store.mark_acked(last - 2)
    assert OutboxPruner(db_path, keep_hours=72).prune() == 0           # not old enough
    assert OutboxPruner(db_path, keep_hours=24, chunk=3).prune() == 3  # a bounded chunk at a time
    assert OutboxPruner(db_path, keep_hours=24).prune() == last - 2 - 3
    assert [r["seq"] for r in outbox(db_path)] == [last - 1, last]      # unacked rows stay

    store.mark_acked(last)
    assert OutboxPruner(db_path, keep_hours=24).prune() == 1           # the newest row always stays
    with write_transaction(db_path) as db:
        assert append_outbox(db, "up", [OutgoingEvent("stock.changed", {"qty_delta": 1})]) == [last + 1]
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sync_outbox").fetchone()[0] == 2
    budget = OutboxBudget(db_path, 10 * MB, check_every=0)
    assert 0 < budget.unacked_bytes() < 500 and budget.level() == "ok"


def full_count(db_path: str) -> int:
    """What the budget measured before it kept a tally: every unacked row of the current epoch, summed afresh."""
    with read_connection(db_path) as conn:
        return conn.execute(
            "SELECT COALESCE(SUM(length(data) + length(type) + length(event_id) + length(occurred_at)"
            " + length(recorded_at) + COALESCE(length(device_id), 0) + COALESCE(length(op_id), 0) + 64), 0)"
            " FROM sync_outbox o JOIN sync_outbox_cursor c ON c.stream = o.stream AND c.epoch = o.epoch"
            " WHERE o.stream = 'up' AND o.seq > c.acked_through").fetchone()[0]


def test_the_budget_keeps_a_tally_that_matches_a_full_count_through_appends_acks_and_a_new_epoch(db_path):
    store = SqliteOutboxStore(db_path, "up")
    budget = OutboxBudget(db_path, 10 * MB, check_every=0)

    def append(count: int, size: int) -> None:
        with write_transaction(db_path) as db:
            append_outbox(db, "up", [OutgoingEvent("stock.changed", {"note": "x" * size}) for _ in range(count)])

    seen = [budget.unacked_bytes()]
    assert seen[0] == full_count(db_path)
    for count, size, ack_back in ((5, 10, 0), (3, 200, 2), (0, 0, 0), (7, 50, 9), (1, 1, 0), (4, 4, 4)):
        append(count, size)
        if ack_back:
            store.mark_acked(store.last_seq() - ack_back + 1)  # some acked, some still out
        seen.append(budget.unacked_bytes())
        assert seen[-1] == full_count(db_path)
    store.mark_acked(store.last_seq())
    assert budget.unacked_bytes() == full_count(db_path) == 0
    append(2, 30)
    store.start_new_epoch(store.last_seq() - 1)  # a restored database: unacked rows move to a new epoch
    append(3, 20)
    assert budget.unacked_bytes() == full_count(db_path) > 0
    assert len(set(seen)) > 3  # the tally did move with the outbox
