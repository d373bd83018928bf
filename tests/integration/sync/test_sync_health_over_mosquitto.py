"""Sync health through the centre's API and the site endpoint, over a real Mosquitto: lag, depth, acks, epoch."""
import time

import pytest
from sqlite_utils import Database

from central.bootstrap import build_central
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


def count() -> OutgoingEvent:
    return OutgoingEvent("stock.changed", {"location": "A-01-01", "sku": "SKU-BLUE-MUG", "qty_delta": 1,
                                           "reason": "count"})


@pytest.fixture
def pair(tmp_path, broker, central_db):
    central = build_central(central_db, broker.url, resend_after=2)
    client = central.app.test_client()
    assert client.post("/api/v1/sites", json={"site_id": "DC01", "name": "Leeds"}).status_code == 201
    assert client.put("/api/v1/items/SKU-BLUE-MUG", json=MUG).status_code == 200   # one command queued to DC01
    site_db = str(tmp_path / "site.db")
    conn = connect(site_db)
    sync_migrations.apply(Database(conn))
    conn.close()
    applied = []
    site = SiteSyncEndpoint(site_db, "DC01", broker.url, lambda db, stream, event: applied.append(event["seq"]),
                            resend_after=2)
    yield central, client, site, site_db, applied
    site.stop()
    central.endpoint.stop()


def emit(site, site_db: str, n: int) -> None:
    with write_transaction(site_db) as db:
        append_outbox(db, "up", [count() for _ in range(n)])
    site.nudge()


def test_health_shows_lag_while_the_centre_is_away_and_none_once_caught_up(pair):
    central, client, site, site_db, applied = pair
    emit(site, site_db, 3)
    site.start()                                      # the centre is not running yet: events wait
    assert wait_until(lambda: site.health()["connected"])
    health = site.health()
    assert (health["peer_online"], health["lag_events"], health["outbox_depth"], health["epoch"]) == (False, 3, 3, 1)
    with read_connection(site_db) as conn:
        first = conn.execute("SELECT recorded_at FROM sync_outbox WHERE seq = 1").fetchone()[0]
    assert health["oldest_unacked_at"] == first and health["lag_seconds"] >= 0 and health["last_ack_at"] is None

    central.endpoint.start()
    assert wait_until(lambda: site.health()["lag_events"] == 0)
    health = site.health()
    assert health["peer_online"] and health["oldest_unacked_at"] is None and health["lag_seconds"] == 0
    assert health["last_ack_at"] and health["acked_through_seq"] == 3 and health["dead_letters_open"] == 0
    assert wait_until(lambda: applied == [1])         # the item command came down

    def dc01():
        view = client.get("/api/v1/sync").json
        return view["sites"][0] if view["sites"] else {}

    assert wait_until(lambda: dc01().get("commands", {}).get("acked_through_seq") == 1)
    assert wait_until(lambda: dc01()["events"]["received_through_seq"] == 3)
    site_view = client.get("/api/v1/sync/sites/DC01").json
    assert site_view["site_id"] == "DC01" and site_view["online"] is True and site_view["peer_online"] is True
    assert (site_view["events"]["epoch"], site_view["events"]["site_last_seq"], site_view["events"]["lag_events"]) == (
        1, 3, 0)
    assert (site_view["commands"]["lag_events"], site_view["commands"]["outbox_depth"]) == (0, 0)
    assert site_view["commands"]["last_ack_at"]
    overall = client.get("/api/v1/sync").json
    assert overall["configured"] and overall["connected"] and overall["dead_letters_open"] == 0
    assert client.get("/api/v1/sync/sites/DC99").json["error"] == "unknown_site"

    spec = client.get("/api/openapi.json").json
    assert {"lag_events", "lag_seconds", "outbox_depth", "last_ack_at", "epoch"} <= set(
        spec["components"]["schemas"]["CommandStream"]["properties"])
