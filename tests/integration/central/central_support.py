"""Helpers for the centre's integration tests: fake sync endpoint, site events, table dumps."""
import itertools
import json
import uuid

from central.adapters.hub_hooks import apply_event
from sync.sqlite_store import read_connection, write_transaction
from tests.central_databases import table_names

MUG = {"description": "Blue mug 350 ml", "gtins": ["05012345678900"]}
KETTLE = {"description": "Kettle 1.7 l, steel", "gtins": ["05012345678931"]}


class FakeSync:
    """Stands in for HubSyncEndpoint: counts nudges and reports a fixed health."""

    def __init__(self):
        self.nudges = 0

    def nudge(self):
        self.nudges += 1

    def health(self):
        return {"connected": True, "dead_letters": 0, "event_streams": [], "command_streams": {}}


_seq = itertools.count(1)


def site_event(event_type: str, data: dict) -> dict:
    """Build an event as the sync layer hands it to apply_event."""
    return {"seq": next(_seq), "event_id": str(uuid.uuid4()), "type": event_type,
            "occurred_at": "2025-03-03T10:00:00.000+00:00", "recorded_at": "2025-03-03T10:00:00.100+00:00",
            "device_id": "HH-12", "op_id": None, "data": data}


def feed(db_path: str, site: str, *events: dict) -> None:
    """Apply site events the way the hub does: inside one write transaction."""
    with write_transaction(db_path) as db:
        for event in events:
            apply_event(db, site, event)


def stock(location: str, sku: str, qty_delta: int, reason: str = "count", lot: str = "") -> dict:
    return site_event("stock.changed", {"location": location, "sku": sku, "lot": lot, "qty_delta": qty_delta,
                                        "reason": reason, "ref": ""})


def status(order_id: str, new_status: str, note: str = "") -> dict:
    return site_event("order.status_changed", {"order_id": order_id, "status": new_status, "note": note})


def outbox(db_path: str, stream: str | None = None) -> list[dict]:
    with read_connection(db_path) as conn:
        rows = conn.execute("SELECT stream, seq, type, data FROM sync_outbox"
                            + (" WHERE stream = ?" if stream else "") + " ORDER BY stream, seq",
                            [stream] if stream else []).fetchall()
    return [dict(row, data=json.loads(row["data"])) for row in rows]


def dump(db_path: str) -> dict:
    """Return every table's rows, to show a request changed nothing."""
    with read_connection(db_path) as conn:
        tables = table_names(conn)
        return {t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"')), key=repr) for t in tables}
