"""A site restored from a backup gets again the centre's commands it had acknowledged after the backup.

Found by the chaos run's `restore_edge_db` fault (issue 5): the restored site's command inbox is
behind the centre's acked mark, and with no new command to reveal the gap it never caught up.
"""
import sqlite3
import time

import pytest
from sqlite_utils import Database

from sync.hub_endpoint import HubSyncEndpoint
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction

SITE = "DC01"


def migrate(path: str) -> str:
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.close()
    return path


def wait_until(check, timeout=20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def command_hwm(edge_db: str) -> int:
    with read_connection(edge_db) as conn:
        row = conn.execute("SELECT MAX(hwm) FROM sync_inbox_cursor WHERE stream = ?", [SITE]).fetchone()
    return row[0] or 0


def queue_commands(hub: HubSyncEndpoint, n: int) -> None:
    with write_transaction(hub.db_path) as db:
        append_outbox(db, SITE, [OutgoingEvent("order.allocated", {"order_id": f"SO-{i}"}) for i in range(n)])
    hub.nudge()


def start_site(edge_db: str, broker) -> SiteSyncEndpoint:
    site = SiteSyncEndpoint(edge_db, SITE, broker.url, lambda db, stream, event: None, resend_after=2)
    site.start()
    return site


@pytest.fixture
def hub(broker, tmp_path, hub_db):
    endpoint = HubSyncEndpoint(hub_db, broker.url, lambda db, site, event: None,
                               resend_after=2)
    endpoint.start()
    yield endpoint
    endpoint.stop()


def test_a_restored_site_receives_again_the_commands_its_backup_lacks(broker, hub, tmp_path):
    edge_db, backup = migrate(str(tmp_path / "edge.db")), tmp_path / "backup.db"
    site = start_site(edge_db, broker)
    try:
        queue_commands(hub, 5)
        assert wait_until(lambda: command_hwm(edge_db) == 5)
        with read_connection(edge_db) as src, sqlite3.connect(backup) as dst:
            src.backup(dst)
        dst.close()
        queue_commands(hub, 5)
        assert wait_until(lambda: command_hwm(edge_db) == 10
                          and hub.health()["command_streams"][SITE]["acked_through_seq"] == 10)
    finally:
        site.stop()

    for suffix in ("-wal", "-shm"):
        (tmp_path / f"edge.db{suffix}").unlink(missing_ok=True)
    backup.replace(edge_db)
    assert command_hwm(edge_db) == 5
    site = start_site(edge_db, broker)
    try:
        assert wait_until(lambda: command_hwm(edge_db) == 10), "the restored site never got commands 6..10 again"
    finally:
        site.stop()
