"""DeadLetterBook on a real database (SQLite, or PostgreSQL with --central-db=postgres): batches are
decoded and checked again, control messages are not replayed."""
import json
import uuid

import pytest

from tests.central_databases import add_tables
from sync.dead_letters import DeadLetterBook, DeadLetterRefused, kind_of
from sync.sqlite_store import EventRejected, SqliteInboxStore, read_connection


@pytest.fixture
def db_path(hub_db):
    return add_tables(hub_db, "CREATE TABLE moves (seq INTEGER PRIMARY KEY, qty INTEGER);")


def apply_move(db, site, event):
    if event["data"]["qty_delta"] == 0:
        raise EventRejected("a move of 0 is not a move")
    db.execute("INSERT INTO moves VALUES (?, ?)", [event["seq"], event["data"]["qty_delta"]])


def batch(site: str, first: int, last: int) -> bytes:
    # a resent event keeps its event_id: the same (site, seq) always carries the same id here
    events = [{"seq": seq, "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site}/{seq}")),
               "type": "stock.changed", "occurred_at": "2030-01-01T00:00:00+00:00",
               "recorded_at": "2030-01-01T00:00:00+00:00", "device_id": None, "op_id": None,
               "data": {"qty_delta": -seq}} for seq in range(first, last + 1)]
    return json.dumps({"v": 1, "site": site, "epoch": 1, "first_seq": first, "last_seq": last,
                       "sent_at": "2030-01-01T00:00:00+00:00", "events": events}).encode()


def moves(path: str) -> list[tuple]:
    with read_connection(path) as conn:
        return [tuple(r) for r in conn.execute("SELECT seq, qty FROM moves ORDER BY seq")]


def only_id(book: DeadLetterBook) -> int:
    return book.list("open")["dead_letters"][0]["id"]


def test_kinds_are_told_apart_by_topic():
    assert kind_of("DC01#2:17") == "event"
    assert kind_of("wes/v1/DC01/up/events") == kind_of("wes/v1/DC01/down/cmd") == "batch"
    assert kind_of("wes/v1/DC01/up/state") == kind_of("wes/v1/central/state") == "control"


def test_a_set_aside_batch_is_applied_on_replay_and_its_duplicates_are_skipped(db_path):
    inbox, book = SqliteInboxStore(db_path), DeadLetterBook(db_path, apply_move)
    inbox.dead_letter("wes/v1/DC01/up/events", batch("DC01", 1, 3), "made up for the test")
    first = only_id(book)
    assert book.replay(first, "ann")["status"] == "replayed"
    assert moves(db_path) == [(1, -1), (2, -2), (3, -3)]

    inbox.dead_letter("wes/v1/DC01/up/events", batch("DC01", 2, 4), "again")   # overlaps what is stored
    shown = book.replay(only_id(book), "ann")
    assert "applied 1 new event(s) through seq 4" in shown["resolution"]
    assert moves(db_path) == [(1, -1), (2, -2), (3, -3), (4, -4)]


def test_a_batch_for_another_site_or_past_a_gap_stays_open_with_the_reason(db_path):
    inbox, book = SqliteInboxStore(db_path), DeadLetterBook(db_path, apply_move)
    inbox.dead_letter("wes/v1/DC01/up/events", batch("DC02", 1, 2), "wrong site")
    with pytest.raises(DeadLetterRefused, match="DC02"):
        book.replay(only_id(book), "ann")
    assert moves(db_path) == [] and book.list("open")["dead_letters"][0]["attempts"] == 1
    book.discard(only_id(book), "ann", "forged")

    inbox.dead_letter("wes/v1/DC01/up/events", batch("DC01", 5, 6), "early")
    with pytest.raises(DeadLetterRefused, match="have not arrived yet") as refused:
        book.replay(only_id(book), "ann")
    assert refused.value.code == "replay_failed" and moves(db_path) == []
    assert book.get(only_id(book))["audit"][0]["outcome"] == "failed"


def test_control_messages_are_not_replayed_and_pages_are_bounded(db_path):
    inbox, book = SqliteInboxStore(db_path), DeadLetterBook(db_path, apply_move)
    for n in range(5):
        inbox.dead_letter("wes/v1/DC01/up/state", b"{not json" + bytes([0xff]), f"bad state {n}")
    with pytest.raises(DeadLetterRefused) as refused:
        book.replay(only_id(book), "ann")
    assert refused.value.code == "not_replayable"
    page = book.list(None, limit=2, offset=1)
    assert page["total"] == 5 and [d["reason"] for d in page["dead_letters"]] == ["bad state 3", "bad state 2"]
    assert book.get(page["dead_letters"][0]["id"])["payload"].startswith("{not json")


def test_a_rejected_event_is_flipped_to_applied_only_once(db_path):
    inbox, book = SqliteInboxStore(db_path), DeadLetterBook(db_path, apply_move)
    zero = json.loads(batch("DC01", 1, 1))["events"]
    zero[0]["data"]["qty_delta"] = 0
    inbox.apply_batch("DC01", 1, zero, apply_move)
    letter = only_id(book)
    with pytest.raises(DeadLetterRefused, match="not a move"):
        book.replay(letter, "ann")

    def lenient(db, site, event):
        db.execute("INSERT INTO moves VALUES (?, ?)", [event["seq"], 0])

    assert DeadLetterBook(db_path, lenient).replay(letter, "ann")["status"] == "replayed"
    assert moves(db_path) == [(1, 0)]
    with pytest.raises(DeadLetterRefused) as refused:
        DeadLetterBook(db_path, lenient).replay(letter, "bob")
    assert refused.value.code == "dead_letter_closed" and moves(db_path) == [(1, 0)]
