"""Outbox event ids are UUIDv7: canonical UUIDs of version 7 and the RFC variant, unique, ordered by millisecond."""
import os
import time
import uuid

from protocols.messages.event_ids import new_event_id
from sync.batch_codec import CANONICAL_UUID
from sync.sqlite_store import OutgoingEvent


def test_an_event_id_is_a_canonical_version_7_uuid_carrying_the_time_it_was_made():
    before = time.time_ns() // 1_000_000
    ids = [new_event_id() for _ in range(5000)]
    after = time.time_ns() // 1_000_000
    for event_id in ids:
        parsed = uuid.UUID(event_id)
        assert (parsed.version, parsed.variant, str(parsed)) == (7, uuid.RFC_4122, event_id)
        assert CANONICAL_UUID.fullmatch(event_id)  # what the batch codec and the schema accept
        assert before <= parsed.int >> 80 <= after
    assert len(set(ids)) == len(ids)
    assert OutgoingEvent("stock.changed", {}).event_id != OutgoingEvent("stock.changed", {}).event_id


def test_later_event_ids_sort_after_those_of_earlier_milliseconds():
    first = [new_event_id() for _ in range(2000)]
    time.sleep(0.002)
    second = [new_event_id() for _ in range(2000)]
    assert max(first) < min(second)


def test_a_forked_process_makes_other_ids_than_its_parent():
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: its next ids, as a worker forked by the HTTP server would make them
        os.write(write, " ".join(new_event_id() for _ in range(50)).encode())
        os._exit(0)
    os.close(write)
    mine = {new_event_id()[19:] for _ in range(50)}  # the random part (past the time and version)
    with os.fdopen(read) as pipe:
        theirs = {event_id[19:] for event_id in pipe.read().split()}
    os.waitpid(child, 0)
    assert len(theirs) == 50 and not mine & theirs
