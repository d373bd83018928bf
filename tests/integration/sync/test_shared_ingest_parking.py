"""Two ingest workers on one database: batches parked past a gap are drained in seq order, exactly once."""
import json
import random

import pytest
from sqlite_utils import Database

from protocols.messages.envelope import AckV1Schema, decode
from sync.batch_codec import encode_batch
from sync.leader_lease import LeaderLease, ingest_workers
from sync.shared_receiver import SharedBatchReceiver
from sync.sqlite_store import (OutgoingEvent, SqliteInboxStore, SqliteOutboxStore, append_outbox, connect,
                               read_connection, sync_migrations, write_transaction)
from tests.fakes.transport import FakeClock, FakeTransport

SITE, TOPIC = "DC01", "wes/v1/DC01/up/events"


def migrated(path: str, stock: bool = False) -> str:
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    if stock:
        conn.execute("CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL)")
    conn.close()
    return path


@pytest.fixture
def central_db(tmp_path):
    return migrated(str(tmp_path / "central.db"), stock=True)


@pytest.fixture
def batches(tmp_path):
    """Twelve batches of 25 picks each (seq 1..300) as the site's sender would publish them."""
    edge = migrated(str(tmp_path / "edge.db"))
    with write_transaction(edge) as db:
        append_outbox(db, "up", [OutgoingEvent("stock.changed", {"sku": "SKU-BLUE-MUG", "qty_delta": -1})
                                 for _ in range(300)])
    store = SqliteOutboxStore(edge, "up")
    return [encode_batch(SITE, 1, store.read_rows_after(start, 25)) for start in range(0, 300, 25)]


class Worker:
    """One worker's receiver with its own transport; records the seqs it applied, in order."""

    def __init__(self, name: str, db: str, applied: list[int], clock=None, **kwargs):
        self.transport = FakeTransport()
        self.receiver = SharedBatchReceiver(SqliteInboxStore(db), self.transport, self._apply, lambda s: f"{s}/ack",
                                            worker=name, clock=clock or FakeClock(), **kwargs)
        self.applied = applied

    def _apply(self, db, stream, event):
        self.applied.append(event["seq"])
        db.execute("INSERT INTO stock (sku, qty) VALUES (?, ?)"
                   " ON CONFLICT (sku) DO UPDATE SET qty = qty + excluded.qty",
                   [event["data"]["sku"], event["data"]["qty_delta"]])

    def acks(self) -> list[dict]:
        return [decode(AckV1Schema(), payload) for _, payload in self.transport.published]


def ledger(db: str) -> list[int]:
    with read_connection(db) as conn:
        return [r[0] for r in conn.execute("SELECT seq FROM sync_inbox WHERE stream = ? ORDER BY rowid", [SITE])]


def table_count(db: str, table: str) -> int:
    with read_connection(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def stock(db: str) -> int:
    with read_connection(db) as conn:
        return conn.execute("SELECT qty FROM stock WHERE sku = 'SKU-BLUE-MUG'").fetchone()[0]


def test_batches_ahead_of_the_mark_are_parked_then_drained_in_order_by_the_worker_that_fills_the_gap(
        central_db, batches):
    applied: list[int] = []
    a, b = Worker("ingest-a", central_db, applied), Worker("ingest-b", central_db, applied)

    for payload in reversed(batches[1:]):  # everything but the first arrives first, newest first, at worker a
        assert a.receiver.on_batch(TOPIC, SITE, payload) is None
    assert table_count(central_db, "sync_parked_batches") == 11 and applied == [] and a.acks() == []

    ack = b.receiver.on_batch(TOPIC, SITE, batches[0])

    assert applied == list(range(1, 301))  # in seq order, although parked out of order by another worker
    assert ledger(central_db) == list(range(1, 301)) and stock(central_db) == -300
    assert ack["acked_through_seq"] == 300 and ack["resend_from"] is None
    assert table_count(central_db, "sync_parked_batches") == 0


def test_shuffled_duplicated_batches_across_two_workers_apply_each_event_once_in_order(central_db, batches):
    applied: list[int] = []
    workers = [Worker("ingest-a", central_db, applied), Worker("ingest-b", central_db, applied)]
    deliveries = batches * 2  # the broker redelivers, and the site resends after a timeout
    random.Random(7).shuffle(deliveries)

    for n, payload in enumerate(deliveries):
        workers[n % 2].receiver.on_batch(TOPIC, SITE, payload)

    assert applied == list(range(1, 301))
    assert ledger(central_db) == list(range(1, 301)) and stock(central_db) == -300
    assert max(ack["acked_through_seq"] for w in workers for ack in w.acks()) == 300
    assert table_count(central_db, "sync_parked_batches") == 0


def test_a_gap_never_filled_expires_into_a_resend_request_and_the_resend_applies(central_db, batches):
    clock = FakeClock()
    applied: list[int] = []
    a = Worker("ingest-a", central_db, applied, clock=clock, reorder_timeout=5.0)
    a.receiver.on_batch(TOPIC, SITE, batches[0])
    a.receiver.on_batch(TOPIC, SITE, batches[2])  # batch 1 (seq 26..50) was lost with a dead worker
    a.transport.take()

    clock.advance(4)
    assert a.receiver.expire_held() == 0
    clock.advance(2)
    assert a.receiver.expire_held() == 1

    [ack] = a.acks()
    assert ack["acked_through_seq"] == 25 and ack["resend_from"] == 26
    assert table_count(central_db, "sync_parked_batches") == 0
    for payload in batches[1:3]:  # the site resends from seq 26
        a.receiver.on_batch(TOPIC, SITE, payload)
    assert applied == list(range(1, 76)) and ledger(central_db) == list(range(1, 76))


def test_a_gap_is_not_given_up_while_another_worker_may_still_hold_the_batch_that_fills_it(central_db, batches):
    clock = FakeClock()
    others_caught_up_at = [clock.now - 100]  # another worker has been busy since before the batch was parked
    a = Worker("ingest-a", central_db, [], clock=clock, reorder_timeout=5.0,
               all_caught_up_at=lambda: others_caught_up_at[0])
    a.receiver.on_batch(TOPIC, SITE, batches[1])

    clock.advance(30)
    assert a.receiver.expire_held() == 0 and table_count(central_db, "sync_parked_batches") == 1
    others_caught_up_at[0] = clock.now  # it had nothing left to settle: the missing batch is not in it
    clock.advance(1)
    assert a.receiver.expire_held() == 1
    assert a.acks()[-1]["resend_from"] == 1


def test_parking_is_bounded_per_site_and_past_the_bound_the_sender_is_asked_to_resend(central_db, batches):
    applied: list[int] = []
    a = Worker("ingest-a", central_db, applied, max_parked_per_stream=3)
    for payload in batches[1:4]:
        assert a.receiver.on_batch(TOPIC, SITE, payload) is None

    ack = a.receiver.on_batch(TOPIC, SITE, batches[4])

    assert ack["resend_from"] == 1 and ack["acked_through_seq"] == 0
    assert table_count(central_db, "sync_parked_batches") == 3 and applied == []


def test_a_bad_batch_is_dead_lettered_by_whichever_worker_gets_it(central_db, batches):
    a = Worker("ingest-a", central_db, [])
    assert a.receiver.on_batch(TOPIC, SITE, b"{not json") is None
    assert a.receiver.on_batch("wes/v1/DC02/up/events", "DC02", batches[0]) is None  # DC01's batch on DC02's topic
    assert table_count(central_db, "sync_dead_letters") == 2
    assert table_count(central_db, "sync_parked_batches") == 0 and ledger(central_db) == []


def test_the_leader_lease_passes_to_another_worker_only_after_it_expires_or_is_released(central_db):
    clock = FakeClock(1_000_000.0)
    one, two = (LeaderLease(central_db, name, ttl=5.0, clock=clock) for name in ("ingest-1", "ingest-2"))

    assert one.renew() is True and two.renew() is False
    clock.advance(4)
    assert one.renew() is True and two.renew() is False  # renewed in time: still one's
    clock.advance(6)  # one stopped renewing (killed)
    assert two.renew() is True and one.renew() is False
    assert two.term == 2

    two.release()
    assert one.renew() is True and one.term == 3


def test_workers_beat_into_the_database_and_a_silent_one_drops_off_the_list(central_db):
    clock = FakeClock(1_000_000.0)
    one, two = (LeaderLease(central_db, name, ttl=5.0, clock=clock) for name in ("ingest-1", "ingest-2"))
    one.renew()
    one.beat(True, 120, 3, "2026-11-25T09:00:00+00:00", clock.now - 2)
    two.beat(True, 80, 1, "2026-11-25T09:00:00+00:00", clock.now - 1)

    listed = ingest_workers(central_db, now=clock.now)
    assert [(w["worker"], w["leader"], w["applied"]) for w in listed] == [("ingest-1", True, 120),
                                                                         ("ingest-2", False, 80)]
    assert one.all_caught_up_at() == clock.now - 2  # the laggard decides
    assert [w["worker"] for w in ingest_workers(central_db, stale_after=10, now=clock.now + 11)] == []
    two.leave()
    assert [w["worker"] for w in ingest_workers(central_db, now=clock.now)] == ["ingest-1"]
    assert json.dumps(listed)  # plain JSON for the health answer
