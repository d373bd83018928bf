"""Dead letters at the centre over a real Mosquitto: a pick for an unknown order is set aside,
listed, replayed once the order exists (applied exactly once), and a second replay is refused."""
import time
import uuid

import pytest
from sqlite_utils import Database

from central.bootstrap import build_central
from tests.central_databases import table_names
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction

MUG = {"description": "Blue mug 350 ml", "gtins": ["05012345678900"]}


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def dump(path: str) -> dict:
    """Read every table but what presence and acks touch in the background (sync cursors, a site's last state)."""
    with read_connection(path) as conn:
        tables = [t for t in table_names(conn) if t not in ("sync_outbox_cursor", "sync_inbox_cursor")]
        columns = {"sites": "site_id"}  # last_state / last_seen_at follow the site's presence messages
        return {t: sorted(map(tuple, conn.execute(f'SELECT {columns.get(t, "*")} FROM "{t}"')), key=repr)
                for t in tables}


def picked_qty(client, order_id: str) -> int:
    return client.get(f"/api/v1/orders/{order_id}").json["lines"][0]["picked_qty"]


@pytest.fixture
def centre(tmp_path, broker, central_db):
    central = build_central(central_db, broker.url, resend_after=2)
    central.endpoint.start()
    client = central.app.test_client()
    assert client.post("/api/v1/sites", json={"site_id": "DC01", "name": "Leeds"}).status_code == 201
    assert client.put("/api/v1/items/SKU-BLUE-MUG", json=MUG).status_code == 200
    yield central, client
    central.endpoint.stop()


@pytest.fixture
def site(tmp_path, broker):
    path = str(tmp_path / "site.db")
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.close()
    endpoint = SiteSyncEndpoint(path, "DC01", broker.url, lambda db, stream, event: None, resend_after=2)
    endpoint.start()
    yield path, endpoint
    endpoint.stop()


def send(site, *events: OutgoingEvent) -> None:
    path, endpoint = site
    with write_transaction(path) as db:
        append_outbox(db, "up", list(events))
    endpoint.nudge()


def pick(order_id: str, qty: int) -> OutgoingEvent:
    return OutgoingEvent("task.picked", {"task_id": "DC01-T000001", "order_id": order_id, "line_no": 1,
                                         "sku": "SKU-BLUE-MUG", "location": "A-01-01", "qty": qty,
                                         "picker": "P-001"}, op_id=str(uuid.uuid4()))


def test_a_poisoned_pick_is_listed_then_replayed_exactly_once(centre, site):
    central, client = centre
    db_path = central.app.extensions["central"].db_path
    send(site, OutgoingEvent("stock.changed", {"location": "A-01-01", "sku": "SKU-BLUE-MUG", "qty_delta": 10,
                                                "reason": "count"}),
         pick("SO-000001", 2))   # the order does not exist at the centre yet: poison
    assert wait_until(lambda: site[1].health()["acked_through_seq"] == 2)  # the stream was not blocked

    page = client.get("/api/v1/sync/dead-letters?status=open").json
    assert page["total"] == 1 and page["limit"] == 50
    (letter,) = page["dead_letters"]
    assert (letter["kind"], letter["topic"], letter["status"]) == ("event", "DC01#1:2", "open")
    assert "SO-000001" in letter["reason"]
    shown = client.get(f"/api/v1/sync/dead-letters/{letter['id']}").json
    assert '"task.picked"' in shown["payload"] and shown["audit"] == []
    health = client.get("/api/v1/sync").json
    assert health["dead_letters_open"] == 1

    # Replaying before the order exists fails, keeps it open, applies nothing.
    early = client.post(f"/api/v1/sync/dead-letters/{letter['id']}/replay", json={"by": "lead-ann"})
    assert early.status_code == 409 and early.json["error"] == "replay_failed"
    again = client.get(f"/api/v1/sync/dead-letters/{letter['id']}").json
    assert (again["status"], again["attempts"], again["audit"][0]["outcome"]) == ("open", 1, "failed")

    created = client.post("/api/v1/orders", json={"customer": "Acme", "requested_ship_date": "2030-01-02",
                                                   "lines": [{"sku": "SKU-BLUE-MUG", "qty": 2}]})
    assert created.status_code == 201 and created.json["order_id"] == "SO-000001"
    assert wait_until(lambda: client.get("/api/v1/orders/SO-000001").json["status"] != "received")
    assert picked_qty(client, "SO-000001") == 0

    replayed = client.post(f"/api/v1/sync/dead-letters/{letter['id']}/replay", json={"by": "lead-ann"})
    assert replayed.status_code == 200, replayed.json
    assert (replayed.json["status"], replayed.json["resolved_by"]) == ("replayed", "lead-ann")
    assert picked_qty(client, "SO-000001") == 2
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT outcome FROM sync_inbox WHERE stream = 'DC01' AND seq = 2").fetchone()[0] == "applied"

    before = dump(db_path)
    twice = client.post(f"/api/v1/sync/dead-letters/{letter['id']}/replay", json={"by": "lead-bob"})
    assert twice.status_code == 409 and twice.json["error"] == "dead_letter_closed"
    assert "lead-ann" in twice.json["message"]
    assert dump(db_path) == before and picked_qty(client, "SO-000001") == 2
    assert client.get("/api/v1/sync/dead-letters?status=open").json["total"] == 0
    assert client.get("/api/v1/sync").json["dead_letters_open"] == 0


def test_discard_is_audited_and_bad_requests_change_nothing(centre, site):
    central, client = centre
    db_path = central.app.extensions["central"].db_path
    send(site, pick("SO-000404", 1))
    assert wait_until(lambda: client.get("/api/v1/sync/dead-letters").json["total"] == 1)
    (letter,) = client.get("/api/v1/sync/dead-letters").json["dead_letters"]
    url = f"/api/v1/sync/dead-letters/{letter['id']}"

    before = dump(db_path)
    for path in ("/api/v1/sync/dead-letters/abc", "/api/v1/sync/dead-letters/0",
                 "/api/v1/sync/dead-letters/99999999999999999999999", "/api/v1/sync/dead-letters/-1"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json["error"] in ("not_found", "unknown_dead_letter"), path
    assert client.post("/api/v1/sync/dead-letters/77/replay", json={"by": "x"}).json["error"] == "unknown_dead_letter"
    assert client.get("/api/v1/sync/dead-letters?status=lost").status_code == 422
    assert client.get("/api/v1/sync/dead-letters?limit=0").status_code == 422
    assert client.post(f"{url}/discard", json={"by": "lead-ann"}).status_code == 422       # no reason
    assert client.post(f"{url}/discard", json={"by": "", "reason": "x"}).status_code == 422
    assert client.post(f"{url}/replay", json={}).status_code == 422                         # who?
    assert client.post(f"{url}/replay", data="by=x").status_code == 415
    assert dump(db_path) == before

    gone = client.post(f"{url}/discard", json={"by": "lead-ann", "reason": "test order, never existed"})
    assert gone.status_code == 200
    assert (gone.json["status"], gone.json["resolution"]) == ("discarded", "test order, never existed")
    assert gone.json["audit"] == [{"action": "discard", "outcome": "discarded", "actor": "lead-ann",
                                   "at": gone.json["resolved_at"], "note": "test order, never existed"}]
    refused = client.post(f"{url}/replay", json={"by": "lead-ann"})
    assert refused.status_code == 409 and refused.json["error"] == "dead_letter_closed"
    assert client.get("/api/v1/sync/dead-letters?status=discarded").json["total"] == 1
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT outcome FROM sync_inbox WHERE seq = 1").fetchone()[0] == "rejected"
