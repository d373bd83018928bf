"""The edge wired by bootstrap, over a real Mosquitto: an order comes down, the picks go up exactly once."""
import time

from sqlite_utils import Database

from edge_api_support import ITEMS, SAMPLE_SEED, op, outbox, sign_in
from edge.bootstrap import start_edge
from sync.hub_endpoint import HubSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def received(hub_db: str) -> list[tuple]:
    with read_connection(hub_db) as conn:
        return [tuple(r) for r in conn.execute("SELECT seq, type, outcome FROM sync_inbox WHERE stream = 'DC01'"
                                               " ORDER BY seq")]


def test_allocated_order_is_released_picked_and_reported_once(broker, tmp_path):
    hub_db, edge_db = str(tmp_path / "hub.db"), str(tmp_path / "edge-DC01.db")
    conn = connect(hub_db)
    sync_migrations.apply(Database(conn))
    conn.close()
    hub = HubSyncEndpoint(hub_db, broker.url, lambda db, site, event: None, resend_after=2)
    hub.start()
    app, endpoint = start_edge("DC01", edge_db, broker.url, resend_after=2, seed_path=str(SAMPLE_SEED),
                               device_auth="optional")
    try:
        with write_transaction(hub_db) as db:
            append_outbox(db, "DC01", [OutgoingEvent("order.allocated", {
                "order_id": "SO-1", "customer": "Tea Rooms Ltd", "priority": 2, "requested_ship_date": "2025-03-04",
                "lines": [{"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": 2, "item": ITEMS["SKU-BLUE-MUG"]}]})])
        hub.nudge()
        client = app.test_client()
        headers = sign_in(client)
        assert wait_until(lambda: client.get("/api/v1/tasks/next", headers=headers).json["task"] is not None)
        task = client.get("/api/v1/tasks/next", headers=headers).json["task"]
        client.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=headers,
                    json={"op_id": op(), "barcode": task["location_barcode"]})
        pick = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=headers,
                           json={"op_id": op(), "barcode": "5012345678900", "qty": 2})
        assert pick.json["order_status"] == "picked"

        sent = outbox(edge_db)
        assert wait_until(lambda: len(received(hub_db)) == len(sent))
        assert received(hub_db) == [(row["seq"], row["type"], "applied") for row in sent]
        assert wait_until(lambda: client.get("/api/v1/sync").json["outbox_depth"] == 0)
    finally:
        endpoint.stop()
        hub.stop()
