"""A site database restored from an older copy starts a new epoch; nothing is lost or counted twice."""
import sqlite3

import pytest
from sqlite_utils import Database

from protocols.messages.envelope import AckV1Schema, decode
from sync.receiver import BatchReceiver
from sync.sender import OutboxSender
from sync.sqlite_store import (OutgoingEvent, SqliteInboxStore, SqliteOutboxStore, append_outbox, connect,
                               read_connection, sync_migrations, write_transaction)
from tests.fakes.transport import FakeClock, FakeTransport

TOPIC = "wes/v1/DC01/up/events"


def migrated(path: str) -> str:
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.close()
    return path


def snapshot(source: str, target: str) -> None:
    """Copy a live database consistently, as a backup tool would."""
    with read_connection(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()


def emit(path: str, count: int, sku: str = "SKU-BLUE-MUG") -> None:
    with write_transaction(path) as db:
        append_outbox(db, "up", [OutgoingEvent("stock.changed", {"sku": sku, "qty_delta": -1})
                                 for _ in range(count)])


class Pipe:
    """A site sender and a centre receiver joined by fake transports, run until quiet."""

    def __init__(self, edge_db: str, central_db: str):
        self.up, self.down, self.clock = FakeTransport(), FakeTransport(), FakeClock()
        self.receiver = BatchReceiver(SqliteInboxStore(central_db), self.down, lambda db, s, e: None,
                                      lambda s: f"wes/v1/{s}/down/ack", clock=self.clock)
        self.connect(edge_db)

    def connect(self, edge_db: str) -> None:
        self.sender = OutboxSender(SqliteOutboxStore(edge_db, "up"), self.up, TOPIC, "DC01",
                                   batch_max=4, clock=self.clock)
        self.sender.set_peer_online(True)
        self.receiver.send_ack("DC01", self.sender.store.epoch())  # the centre answers the site's "online"

    def run(self, rounds: int = 50) -> None:
        for _ in range(rounds):
            self.sender.pump()
            for topic, payload in self.up.take():
                self.receiver.on_batch(topic, "DC01", payload)
            for _, payload in self.down.take():
                self.sender.on_ack(decode(AckV1Schema(), payload))
            self.clock.advance(1)


def outbox_ids(path: str) -> set[str]:
    with read_connection(path) as conn:
        return {row[0] for row in conn.execute("SELECT event_id FROM sync_outbox")}


def ledger(path: str) -> dict[int, list[tuple[int, str]]]:
    with read_connection(path) as conn:
        rows = conn.execute("SELECT epoch, seq, event_id FROM sync_inbox ORDER BY epoch, seq").fetchall()
    epochs: dict[int, list[tuple[int, str]]] = {}
    for epoch, seq, event_id in rows:
        epochs.setdefault(epoch, []).append((seq, event_id))
    return epochs


def assert_exactly_once(central_db: str, *edge_dbs: str) -> dict[int, list]:
    epochs = ledger(central_db)
    for rows in epochs.values():
        assert [seq for seq, _ in rows] == list(range(1, len(rows) + 1))
    stored = [event_id for rows in epochs.values() for _, event_id in rows]
    assert len(stored) == len(set(stored))
    assert set(stored) == set().union(*(outbox_ids(path) for path in edge_dbs))
    return epochs


@pytest.fixture
def dbs(tmp_path):
    return migrated(str(tmp_path / "edge.db")), migrated(str(tmp_path / "central.db")), str(tmp_path / "copy.db")


def test_restore_with_no_new_work_starts_a_new_epoch_after_checking_its_rows(dbs):
    edge_db, central_db, copy_db = dbs
    pipe = Pipe(edge_db, central_db)
    emit(edge_db, 6)
    pipe.run(1)                          # part of it delivered, the copy's ack mark lags behind
    snapshot(edge_db, copy_db)
    emit(edge_db, 4)
    pipe.run()
    lost_part = outbox_ids(edge_db)
    pipe.connect(copy_db)                # the site comes back on the older copy
    pipe.run()
    assert pipe.sender.store.epoch() == 2
    emit(copy_db, 3)
    pipe.run()
    epochs = assert_exactly_once(central_db, edge_db, copy_db)
    assert len(epochs[1]) == 10 and len(epochs[2]) == 3
    assert {event_id for _, event_id in epochs[1]} == lost_part  # the lost part was already delivered


def test_work_done_on_a_restored_copy_before_reconnecting_moves_to_the_new_epoch(dbs):
    edge_db, central_db, copy_db = dbs
    pipe = Pipe(edge_db, central_db)
    emit(edge_db, 5)
    pipe.run()
    snapshot(edge_db, copy_db)
    emit(edge_db, 7)                     # delivered, then the disk is lost
    pipe.run()
    emit(copy_db, 9)                     # the restored site works offline: seqs 6..14 clash with 6..12
    pipe.connect(copy_db)
    pipe.run()
    epochs = assert_exactly_once(central_db, edge_db, copy_db)
    assert len(epochs[1]) == 12 and len(epochs[2]) == 9
    assert pipe.sender.store.epoch() == 2 and pipe.sender.store.depth() == 0
    with read_connection(copy_db) as conn:
        moved = conn.execute("SELECT last_seq, moved FROM sync_outbox_epochs WHERE epoch = 1").fetchone()
    assert tuple(moved) == (5, 9)


def test_restoring_the_same_old_backup_twice_finds_a_free_epoch(dbs, tmp_path):
    edge_db, central_db, copy_db = dbs
    second_copy = str(tmp_path / "copy-again.db")
    pipe = Pipe(edge_db, central_db)
    emit(edge_db, 3)
    pipe.run()
    snapshot(edge_db, copy_db)
    snapshot(edge_db, second_copy)
    emit(edge_db, 3)
    pipe.run()
    pipe.connect(copy_db)                # first restore: epoch 2
    emit(copy_db, 2)
    pipe.run()
    pipe.connect(second_copy)            # the same backup restored again: epochs 1 and 2 are taken
    emit(second_copy, 4)
    pipe.run(100)
    epochs = assert_exactly_once(central_db, edge_db, copy_db, second_copy)
    assert sorted(epochs) == [1, 2, 3] and pipe.sender.store.epoch() == 3
    assert [len(epochs[e]) for e in (1, 2, 3)] == [6, 2, 4]
