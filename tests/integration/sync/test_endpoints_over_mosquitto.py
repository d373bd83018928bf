"""The two sync endpoints over a real Mosquitto: events up, commands down, outages in between."""
import time

import pytest
from sqlite_utils import Database

from tests.central_databases import add_tables
from sync.hub_endpoint import HubSyncEndpoint
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction


def migrate(path: str, extra: str) -> str:
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.executescript(extra)
    conn.close()
    return path


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def count(path: str, sql: str) -> int:
    with read_connection(path) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.fixture
def dbs(tmp_path, hub_db):
    edge = migrate(str(tmp_path / "edge.db"), "CREATE TABLE orders (order_id TEXT PRIMARY KEY);")
    hub = add_tables(hub_db, "CREATE TABLE moves (seq INTEGER, site TEXT, qty INTEGER);")
    return edge, hub


def apply_order(db, stream, event):
    db.execute("INSERT INTO orders (order_id) VALUES (?)", [event["data"]["order_id"]])


def apply_move(db, site, event):
    db.execute("INSERT INTO moves VALUES (?, ?, ?)", [event["seq"], site, event["data"]["qty_delta"]])


def emit(edge_db: str, n: int) -> None:
    with write_transaction(edge_db) as db:
        append_outbox(db, "up", [OutgoingEvent("stock.changed", {"qty_delta": -1}) for _ in range(n)])


def test_events_up_and_commands_down_survive_a_hub_restart(broker, dbs):
    edge_db, hub_db = dbs
    site = SiteSyncEndpoint(edge_db, "DC01", broker.url, apply_order, resend_after=2)
    hub = HubSyncEndpoint(hub_db, broker.url, apply_move, resend_after=2)
    site.start()
    hub.start()
    try:
        emit(edge_db, 120)
        site.nudge()
        assert wait_until(lambda: count(hub_db, "SELECT COUNT(*) FROM moves") == 120)
        assert wait_until(lambda: site.health()["outbox_depth"] == 0)

        with write_transaction(hub_db) as db:
            append_outbox(db, "DC01", [OutgoingEvent("order.allocated", {"order_id": f"SO-{i}"}) for i in range(5)])
        hub.nudge()
        assert wait_until(lambda: count(edge_db, "SELECT COUNT(*) FROM orders") == 5)
        assert wait_until(lambda: hub.health()["command_streams"]["DC01"]["outbox_depth"] == 0)

        hub.stop()                       # the centre goes away; the site keeps working
        emit(edge_db, 30)
        site.nudge()
        assert wait_until(lambda: not site.central_online)
        hub = HubSyncEndpoint(hub_db, broker.url, apply_move, resend_after=2)
        hub.start()
        assert wait_until(lambda: count(hub_db, "SELECT COUNT(*) FROM moves") == 150)
        assert count(hub_db, "SELECT COUNT(DISTINCT seq) FROM moves") == 150
        assert wait_until(lambda: site.health()["acked_through_seq"] == 150)
    finally:
        site.stop()
        hub.stop()


def test_site_catches_up_after_a_broker_restart(broker, dbs):
    edge_db, hub_db = dbs
    site = SiteSyncEndpoint(edge_db, "DC01", broker.url, apply_order, resend_after=2)
    hub = HubSyncEndpoint(hub_db, broker.url, apply_move, resend_after=2)
    site.start()
    hub.start()
    try:
        emit(edge_db, 10)
        assert wait_until(lambda: count(hub_db, "SELECT COUNT(*) FROM moves") == 10)
        broker.kill()
        emit(edge_db, 40)                # written while the broker is down
        broker.start()
        assert wait_until(lambda: count(hub_db, "SELECT COUNT(*) FROM moves") == 50, timeout=30)
        assert count(hub_db, "SELECT COUNT(DISTINCT seq) FROM moves") == 50
        assert wait_until(lambda: site.health()["outbox_depth"] == 0)
    finally:
        site.stop()
        hub.stop()
