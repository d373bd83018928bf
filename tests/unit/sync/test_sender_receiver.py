"""The sync core against fakes: batches, window, acks, resends, dedupe, gaps, dead letters."""
import json
import random

import pytest
from sqlite_utils import Database

from protocols.messages.envelope import AckV1Schema, decode, encode
from sync.receiver import BatchReceiver
from sync.sender import OutboxSender
from sync.sqlite_store import (EventRejected, OutgoingEvent, SqliteInboxStore, SqliteOutboxStore,
                               append_outbox, connect, sync_migrations, write_transaction)
from tests.fakes.transport import FakeClock, FakeTransport

TOPIC = "wes/v1/DC01/up/events"


@pytest.fixture
def edge_db(tmp_path):
    path = str(tmp_path / "edge.db")
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.close()
    return path


@pytest.fixture
def central_db(tmp_path):
    path = str(tmp_path / "central.db")
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    Database(conn).execute("CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL)")
    conn.close()
    return path


def add_picks(path: str, count: int, sku: str = "SKU-BLUE-MUG") -> None:
    with write_transaction(path) as db:
        append_outbox(db, "up", [OutgoingEvent("stock.changed", {"sku": sku, "qty_delta": -1}) for _ in range(count)])


def apply_stock(db, stream, event):
    if event["data"].get("sku") == "SKU-POISON":
        raise EventRejected("unknown sku SKU-POISON")
    db.execute("INSERT INTO stock (sku, qty) VALUES (?, ?) ON CONFLICT (sku) DO UPDATE SET qty = qty + excluded.qty",
               [event["data"]["sku"], event["data"]["qty_delta"]])


def stock_of(path: str, sku: str = "SKU-BLUE-MUG") -> int:
    with write_transaction(path) as db:
        row = db.execute("SELECT qty FROM stock WHERE sku = ?", [sku]).fetchone()
    return row[0] if row else 0


def make_sender(edge_db, transport, clock=None, **kwargs):
    sender = OutboxSender(SqliteOutboxStore(edge_db, "up"), transport, TOPIC, "DC01",
                          clock=clock or FakeClock(), **kwargs)
    sender.set_peer_online(True)
    return sender


def test_seqs_are_gap_free_per_stream(edge_db):
    add_picks(edge_db, 3)
    with write_transaction(edge_db) as db:
        seqs = append_outbox(db, "up", [OutgoingEvent("stock.changed", {"sku": "X", "qty_delta": 1})])
        other = append_outbox(db, "DC02", [OutgoingEvent("order.allocated", {})])
    assert seqs == [4] and other == [1]


def test_sender_publishes_batches_up_to_the_window_only(edge_db):
    add_picks(edge_db, 10)
    transport = FakeTransport()
    sender = make_sender(edge_db, transport, batch_max=2, window=3)
    assert sender.pump() == 6
    batches = [json.loads(p) for _, p in transport.take()]
    assert [(b["first_seq"], b["last_seq"]) for b in batches] == [(1, 2), (3, 4), (5, 6)]
    assert sender.pump() == 0  # window full until an ack arrives


def test_sender_waits_while_disconnected_or_receiver_offline(edge_db):
    add_picks(edge_db, 2)
    transport = FakeTransport(connected=False)
    sender = make_sender(edge_db, transport)
    assert sender.pump() == 0
    transport.connected = True
    sender.set_peer_online(False)
    assert sender.pump() == 0 and transport.published == []


def test_ack_frees_rows_and_opens_the_window(edge_db):
    add_picks(edge_db, 6)
    transport = FakeTransport()
    sender = make_sender(edge_db, transport, batch_max=2, window=1)
    sender.pump()
    sender.on_ack({"epoch": 1, "acked_through_seq": 2, "resend_from": None})
    assert sender.store.acked_through() == 2
    assert sender.pump() == 2
    assert json.loads(transport.published[-1][1])["first_seq"] == 3


def test_unacked_batch_is_resent_identically_after_timeout(edge_db):
    add_picks(edge_db, 3)
    transport, clock = FakeTransport(), FakeClock()
    sender = make_sender(edge_db, transport, clock=clock, resend_after=30)
    sender.pump()
    first = json.loads(transport.take()[0][1])
    clock.advance(10)
    assert sender.pump() == 0
    clock.advance(25)
    assert sender.pump() == 3
    again = json.loads(transport.take()[0][1])
    assert [e["event_id"] for e in again["events"]] == [e["event_id"] for e in first["events"]]
    assert sender.resend_after == 60  # backs off


def test_resend_from_rewinds(edge_db):
    add_picks(edge_db, 4)
    transport = FakeTransport()
    sender = make_sender(edge_db, transport, batch_max=2)
    sender.pump()
    transport.take()
    sender.on_ack({"epoch": 1, "acked_through_seq": 0, "resend_from": 1})
    sender.pump()
    assert [json.loads(p)["first_seq"] for _, p in transport.take()] == [1, 3]


def test_ack_for_another_epoch_or_beyond_our_seqs_is_ignored(edge_db):
    add_picks(edge_db, 2)
    sender = make_sender(edge_db, FakeTransport())
    sender.on_ack({"epoch": 7, "acked_through_seq": 2, "resend_from": None})
    sender.on_ack({"epoch": 1, "acked_through_seq": 99, "resend_from": None})
    assert sender.store.acked_through() == 0


def receiver_for(central_db, transport, **kwargs):
    return BatchReceiver(SqliteInboxStore(central_db), transport, apply_stock, lambda s: f"wes/v1/{s}/down/ack",
                         **kwargs)


def test_duplicate_batch_is_applied_once_and_acked_again(edge_db, central_db):
    add_picks(edge_db, 3)
    up = FakeTransport()
    make_sender(edge_db, up).pump()
    (topic, payload), = up.take()
    down = FakeTransport()
    receiver = receiver_for(central_db, down)
    receiver.on_batch(topic, "DC01", payload)
    receiver.on_batch(topic, "DC01", payload)
    assert stock_of(central_db) == -3
    acks = [decode(AckV1Schema(), p) for _, p in down.take()]
    assert [a["acked_through_seq"] for a in acks] == [3, 3]


def two_batches(edge_db):
    add_picks(edge_db, 4)
    up = FakeTransport()
    make_sender(edge_db, up, batch_max=2).pump()
    return up.take()


def test_batch_after_a_gap_is_held_until_the_gap_fills(edge_db, central_db):
    (topic, first), (_, second) = two_batches(edge_db)
    down = FakeTransport()
    receiver = receiver_for(central_db, down)
    assert receiver.on_batch(topic, "DC01", second) is None  # held, not applied, not yet re-requested
    assert stock_of(central_db) == 0 and down.published == []
    ack = receiver.on_batch(topic, "DC01", first)
    assert ack["acked_through_seq"] == 4 and ack["resend_from"] is None
    assert stock_of(central_db) == -4 and receiver.held[("DC01", 1)] == {}


def test_gap_that_does_not_fill_in_time_asks_for_resend(edge_db, central_db):
    (topic, _), (_, second) = two_batches(edge_db)
    down, clock = FakeTransport(), FakeClock()
    receiver = receiver_for(central_db, down, clock=clock, reorder_timeout=5)
    receiver.on_batch(topic, "DC01", second)
    clock.advance(4)
    assert receiver.expire_held() == 0
    clock.advance(1)
    assert receiver.expire_held() == 1
    (_, payload), = down.take()
    ack = decode(AckV1Schema(), payload)
    assert ack["acked_through_seq"] == 0 and ack["resend_from"] == 1
    assert stock_of(central_db) == 0 and receiver.held == {}


def test_gap_past_the_hold_limit_is_not_applied_and_asks_for_resend(edge_db, central_db):
    (topic, _), (_, second) = two_batches(edge_db)
    receiver = receiver_for(central_db, FakeTransport(), reorder_max_batches=0)
    ack = receiver.on_batch(topic, "DC01", second)
    assert ack["acked_through_seq"] == 0 and ack["resend_from"] == 1
    assert stock_of(central_db) == 0


@pytest.mark.parametrize("payload, reason", [
    (b"\xff\xfe not json", "not JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"v": 1, "site": "DC01"}', "invalid message"),
])
def test_poison_message_is_dead_lettered_with_its_reason(central_db, payload, reason):
    receiver = receiver_for(central_db, FakeTransport())
    assert receiver.on_batch(TOPIC, "DC01", payload) is None
    with write_transaction(central_db) as db:
        rows = list(db.query("SELECT * FROM sync_dead_letters"))
    assert len(rows) == 1 and reason in rows[0]["reason"] and rows[0]["topic"] == TOPIC


def test_batch_claiming_another_site_is_dead_lettered(edge_db, central_db):
    add_picks(edge_db, 1)
    up = FakeTransport()
    make_sender(edge_db, up).pump()
    (_, payload), = up.take()
    receiver = receiver_for(central_db, FakeTransport())
    assert receiver.on_batch("wes/v1/DC02/up/events", "DC02", payload) is None
    assert stock_of(central_db) == 0


def test_rejected_event_is_set_aside_and_the_stream_keeps_flowing(edge_db, central_db):
    with write_transaction(edge_db) as db:
        append_outbox(db, "up", [OutgoingEvent("stock.changed", {"sku": "SKU-POISON", "qty_delta": 5}),
                                 OutgoingEvent("stock.changed", {"sku": "SKU-BLUE-MUG", "qty_delta": 2})])
    up = FakeTransport()
    make_sender(edge_db, up).pump()
    (topic, payload), = up.take()
    ack = receiver_for(central_db, FakeTransport()).on_batch(topic, "DC01", payload)
    assert ack["acked_through_seq"] == 2
    assert stock_of(central_db) == 2 and stock_of(central_db, "SKU-POISON") == 0
    with write_transaction(central_db) as db:
        outcomes = [r["outcome"] for r in db.query("SELECT outcome FROM sync_inbox ORDER BY seq")]
        (dead,) = db.execute("SELECT COUNT(*) FROM sync_dead_letters").fetchone()
    assert outcomes == ["rejected", "applied"] and dead == 1


def run_lossy_pipe(edge_db, central_db, **receiver_kwargs) -> BatchReceiver:
    """Drop, duplicate and reorder batches and acks at random; after quiescence stock is exact."""
    rng = random.Random(7)
    add_picks(edge_db, 250)
    up, down, clock = FakeTransport(), FakeTransport(), FakeClock()
    sender = make_sender(edge_db, up, clock=clock, batch_max=7, window=4, resend_after=5)
    receiver = receiver_for(central_db, down, clock=clock, reorder_timeout=3, **receiver_kwargs)
    for _ in range(2000):
        sender.pump()
        batches = up.take()
        rng.shuffle(batches)
        for topic, payload in batches:
            for _ in range(rng.choice([0, 1, 1, 1, 1, 2])):  # lost, delivered, or duplicated
                receiver.on_batch(topic, "DC01", payload)
        receiver.expire_held()
        for _, payload in down.take():
            if rng.random() < 0.8:
                sender.on_ack(decode(AckV1Schema(), payload))
        clock.advance(1)
        if sender.store.acked_through() == 250:
            break
    assert sender.store.acked_through() == 250
    assert stock_of(central_db) == -250
    with write_transaction(central_db) as db:
        seqs = [r["seq"] for r in db.query("SELECT seq FROM sync_inbox ORDER BY seq")]
    assert seqs == list(range(1, 251))
    return receiver


def test_lossy_duplicating_reordering_pipe_still_delivers_exactly_once(edge_db, central_db):
    run_lossy_pipe(edge_db, central_db)


def test_reorder_buffer_needs_fewer_resends_on_a_reordering_pipe(tmp_path):
    """The same lossy, reordering pipe with and without holding early batches: both exact, fewer resends."""
    runs = {}
    for hold in (0, 64):
        edge_db, central_db = str(tmp_path / f"edge{hold}.db"), str(tmp_path / f"central{hold}.db")
        for path in (edge_db, central_db):
            conn = connect(path)
            sync_migrations.apply(Database(conn))
            conn.close()
        Database(connect(central_db)).execute("CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL)")
        runs[hold] = run_lossy_pipe(edge_db, central_db, reorder_max_batches=hold).resend_requests
    assert runs[64] < runs[0]


def test_encode_refuses_an_invalid_ack():
    with pytest.raises(ValueError):
        encode(AckV1Schema(), {"v": 1, "site": "DC01", "epoch": 0, "acked_through_seq": -1})

