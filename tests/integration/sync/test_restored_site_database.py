"""A site's database is copied mid-stream, work goes on, the old copy is restored: a new epoch, nothing lost."""
import os
import sqlite3
import time

import pytest
from sqlite_utils import Database

from sync.hub_endpoint import HubSyncEndpoint
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction


def migrate(path: str) -> str:
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.close()
    return path


def wait_until(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def emit(edge_db: str, n: int) -> None:
    with write_transaction(edge_db) as db:
        append_outbox(db, "up", [OutgoingEvent("stock.changed", {"sku": "SKU-BLUE-MUG", "qty_delta": -1})
                                 for _ in range(n)])


def outbox_ids(path: str) -> set[str]:
    with read_connection(path) as conn:
        return {row[0] for row in conn.execute("SELECT event_id FROM sync_outbox WHERE stream = 'up'")}


def ledger(hub_db: str) -> list[tuple[int, int, str]]:
    with read_connection(hub_db) as conn:
        return [tuple(r) for r in conn.execute("SELECT epoch, seq, event_id FROM sync_inbox WHERE stream = 'DC01'"
                                               " ORDER BY epoch, seq")]


def restore(backup: str, live: str) -> None:
    """Put a backup file back in place of the live database, as an operator restoring a disk would."""
    for suffix in ("-wal", "-shm"):
        if os.path.exists(live + suffix):
            os.remove(live + suffix)
    os.replace(backup, live)


@pytest.fixture
def hub(broker, tmp_path, hub_db):
    endpoint = HubSyncEndpoint(hub_db, broker.url, lambda db, site, event: None, resend_after=2)
    endpoint.start()
    yield endpoint
    endpoint.stop()


def test_restored_site_database_starts_a_new_epoch_and_the_ledger_stays_exact(broker, hub, tmp_path):
    edge_db, backup = migrate(str(tmp_path / "edge.db")), str(tmp_path / "backup.db")
    site = SiteSyncEndpoint(edge_db, "DC01", broker.url, lambda db, s, e: None, resend_after=2)
    site.start()
    try:
        emit(edge_db, 40)
        site.nudge()
        emit(edge_db, 40)                    # the copy is taken while these are still streaming
        with read_connection(edge_db) as src, sqlite3.connect(backup) as dst:
            src.backup(dst)
        dst.close()
        emit(edge_db, 70)
        site.nudge()
        assert wait_until(lambda: site.health()["acked_through_seq"] == 150)
    finally:
        site.stop()
    delivered_before_the_loss = outbox_ids(edge_db)

    restore(backup, edge_db)
    emit(edge_db, 25)                        # work done on the restored copy before it reconnects
    site = SiteSyncEndpoint(edge_db, "DC01", broker.url, lambda db, s, e: None, resend_after=2)
    site.start()
    try:
        emit(edge_db, 35)                    # and while it reconnects
        site.nudge()
        assert wait_until(lambda: site.health()["epoch"] == 2 and site.health()["outbox_depth"] == 0)
        emit(edge_db, 10)
        site.nudge()
        assert wait_until(lambda: site.health()["outbox_depth"] == 0 and len(ledger(hub.db_path)) == 150 + 70)
    finally:
        site.stop()

    rows = ledger(hub.db_path)
    stored = [event_id for _, _, event_id in rows]
    assert len(stored) == len(set(stored))                          # nothing counted twice
    assert set(stored) == delivered_before_the_loss | outbox_ids(edge_db)  # nothing lost
    for epoch in (1, 2):
        seqs = [seq for e, seq, _ in rows if e == epoch]
        assert seqs == list(range(1, len(seqs) + 1))                # contiguous per (site, epoch)
    assert len([r for r in rows if r[0] == 1]) == 150
