"""Event ids are UUIDv7: valid UUIDs of version 7 and the RFC variant, unique, ordered by their millisecond."""
import time
import uuid

from protocols.messages.event_ids import new_event_id


def test_an_event_id_is_a_version_7_uuid_carrying_the_time_it_was_made():
    before = time.time_ns() // 1_000_000
    text = new_event_id()
    after = time.time_ns() // 1_000_000
    parsed = uuid.UUID(text)
    assert str(parsed) == text
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert before <= parsed.int >> 80 <= after


def test_event_ids_are_unique_and_later_ones_sort_after_earlier_milliseconds():
    first = [new_event_id() for _ in range(2000)]
    time.sleep(0.002)
    second = [new_event_id() for _ in range(2000)]
    assert len(set(first + second)) == 4000
    assert max(first) < min(second)
