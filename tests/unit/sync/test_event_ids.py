"""Outbox event ids are random version-4 UUIDs in the canonical form the batch codec and the schema accept."""
import uuid

from sync.batch_codec import CANONICAL_UUID
from sync.sqlite_store import OutgoingEvent, new_event_id


def test_event_ids_are_canonical_random_version_4_uuids_and_never_repeat():
    ids = [new_event_id() for _ in range(5000)]
    for event_id in ids:
        parsed = uuid.UUID(event_id)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, event_id)
        assert CANONICAL_UUID.fullmatch(event_id)
    assert len(set(ids)) == len(ids)
    assert {event_id[19] for event_id in ids} == set("89ab")  # the variant digit still carries two random bits
    assert OutgoingEvent("stock.changed", {}).event_id != OutgoingEvent("stock.changed", {}).event_id
