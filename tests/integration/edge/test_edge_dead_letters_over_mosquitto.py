"""Dead letters at the site over a real Mosquitto: a cancellation that arrives before its order is set
aside, and a lead logged in to the dashboard replays it once the order is there; it is applied exactly once."""
import time

import pytest
from sqlite_utils import Database

from edge_api_support import ITEMS, SAMPLE_SEED, add_login, dump as dump_all, log_in, sign_in
from edge.bootstrap import start_edge
from sync.hub_endpoint import HubSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def dump(edge_db: str) -> dict:
    """Read every table but the sync cursors, which acks and resends in the background keep touching."""
    tables = dump_all(edge_db)
    for cursor in ("sync_outbox_cursor", "sync_inbox_cursor"):
        tables.pop(cursor)
    return tables


def order_status(edge_db: str, order_id: str) -> str | None:
    with read_connection(edge_db) as conn:
        row = conn.execute("SELECT status FROM orders WHERE order_id = ?", [order_id]).fetchone()
    return row[0] if row else None


def cancellations_sent_up(edge_db: str) -> int:
    with read_connection(edge_db) as conn:
        return conn.execute("SELECT COUNT(*) FROM sync_outbox WHERE type = 'order.status_changed'"
                            " AND data LIKE '%cancelled%'").fetchone()[0]


@pytest.fixture
def linked(broker, tmp_path):
    hub_db, edge_db = str(tmp_path / "hub.db"), str(tmp_path / "edge-DC01.db")
    conn = connect(hub_db)
    sync_migrations.apply(Database(conn))
    conn.close()
    hub = HubSyncEndpoint(hub_db, broker.url, lambda db, site, event: None, resend_after=2)
    hub.start()
    app, endpoint = start_edge("DC01", edge_db, broker.url, resend_after=2, seed_path=str(SAMPLE_SEED),
                               device_auth="optional")
    yield hub_db, edge_db, hub, app.test_client()
    endpoint.stop()
    hub.stop()


def send_down(hub_db: str, hub, *commands: OutgoingEvent) -> None:
    with write_transaction(hub_db) as db:
        append_outbox(db, "DC01", list(commands))
    hub.nudge()


ALLOCATED = OutgoingEvent("order.allocated", {
    "order_id": "SO-9", "customer": "Tea Rooms Ltd", "priority": 2, "requested_ship_date": "2030-03-04",
    "lines": [{"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": 2, "item": ITEMS["SKU-BLUE-MUG"]}]})


def test_a_cancellation_before_its_order_is_replayed_once_by_a_lead(linked):
    hub_db, edge_db, hub, client = linked
    send_down(hub_db, hub, OutgoingEvent("order.cancelled", {"order_id": "SO-9", "reason": "customer called"}))
    assert wait_until(lambda: client.get("/api/v1/sync/dead-letters").json["total"] == 1)
    (letter,) = client.get("/api/v1/sync/dead-letters?status=open").json["dead_letters"]
    assert (letter["kind"], letter["topic"]) == ("event", "DC01#1:1")
    assert client.get("/api/v1/sync").json["dead_letters_open"] == 1
    url = f"/api/v1/sync/dead-letters/{letter['id']}"

    add_login(edge_db, "maria", "lead")
    add_login(edge_db, "sam", "picker")
    handheld = sign_in(client)
    before = dump(edge_db)
    assert client.post(f"{url}/replay", json={}).json["error"] == "not_logged_in"     # no session at all
    # a handheld's bearer session is not a dashboard login
    assert client.post(f"{url}/discard", json={"reason": "x"}, headers=handheld).json["error"] == "not_logged_in"
    assert dump(edge_db) == before
    picker = {"X-CSRFToken": log_in(client, "sam")}
    before = dump(edge_db)
    assert client.post(f"{url}/replay", json={}, headers=picker).json["error"] == "not_allowed"   # a picker's role
    assert dump(edge_db) == before

    send_down(hub_db, hub, ALLOCATED)
    assert wait_until(lambda: order_status(edge_db, "SO-9") == "released")
    lead = {"X-CSRFToken": log_in(client, "maria")}
    before = dump(edge_db)
    assert client.post(f"{url}/replay", json={}).json["error"] == "csrf_failed"   # logged in, but no token
    assert dump(edge_db) == before
    replayed = client.post(f"{url}/replay", json={}, headers=lead)
    assert replayed.status_code == 200, replayed.json
    assert (replayed.json["status"], replayed.json["resolved_by"]) == ("replayed", "maria")
    assert order_status(edge_db, "SO-9") == "cancelled" and cancellations_sent_up(edge_db) == 1

    before = dump(edge_db)
    twice = client.post(f"{url}/replay", json={}, headers=lead)
    assert twice.status_code == 409 and twice.json["error"] == "dead_letter_closed"
    assert client.post(f"{url}/discard", json={"reason": "late"}, headers=lead).status_code == 409
    assert dump(edge_db) == before and cancellations_sent_up(edge_db) == 1
    assert client.post("/api/v1/sync/dead-letters/abc/replay", json={}, headers=lead).status_code == 404
    assert client.post("/api/v1/sync/dead-letters/5/replay", json={}, headers=lead).json["error"] == "unknown_dead_letter"
    assert client.post(f"{url}/discard", json={}, headers=lead).status_code == 422
    assert client.post(f"{url}/replay", json={"by": "someone"}, headers=lead).status_code == 422
    assert client.post(f"{url}/replay", json={}).json["error"] == "csrf_failed"   # the session alone is not enough
    assert dump(edge_db) == before
