"""Junk on every topic the centre and the site consume, over a real Mosquitto: each message is set aside with a
reason, nothing is applied from it, and the real stream keeps flowing."""
import json
import time
import uuid
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
import pytest
from sqlite_utils import Database

from central.bootstrap import build_central
from sync import topics
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction

JUNK = [
    b"", b"\xff\xfe\x00garbage", b"null", b"[1, 2, 3]", b'{"v": 1', b"[" * 50_000 + b"]" * 50_000,
    b'{"v": 1, "site": "DC01", "epoch": 1, "first_seq": 1, "last_seq": 1, "events": [{"seq": 1}]}',
    b'{"v": 1, "site": "DC02", "epoch": 1, "first_seq": 1, "last_seq": 1, "sent_at": "2026-01-01T00:00:00+00:00",'
    b' "events": []}',
    json.dumps({"v": 1, "site": "DC01", "note": "x" * 600_000}).encode(),
]


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def publish_all(broker_url: str, topic: str, payloads: list[bytes]) -> None:
    """Publish raw bytes as a misbehaving client would (QoS 1, waiting for each PUBACK)."""
    url = urlparse(broker_url)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"junk-{uuid.uuid4().hex[:8]}",
                         protocol=mqtt.MQTTv5)
    client.connect(url.hostname, url.port)
    client.loop_start()
    try:
        for payload in payloads:
            client.publish(topic, payload, qos=1).wait_for_publish(10)
    finally:
        client.loop_stop()
        client.disconnect()


def dead_letters(path: str) -> list[tuple]:
    with read_connection(path) as conn:
        return [tuple(row) for row in conn.execute("SELECT topic, reason FROM sync_dead_letters ORDER BY id")]


@pytest.fixture
def centre(tmp_path, broker, central_db):
    central = build_central(central_db, broker.url, resend_after=2)
    central.endpoint.start()
    client = central.app.test_client()
    assert client.post("/api/v1/sites", json={"site_id": "DC01", "name": "Leeds"}).status_code == 201
    assert client.put("/api/v1/items/SKU-BLUE-MUG", json={"description": "Blue mug", "gtins": []}).status_code == 200
    yield central, client
    central.endpoint.stop()


@pytest.fixture
def site(tmp_path, broker):
    path = str(tmp_path / "site.db")
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.close()
    applied = []
    endpoint = SiteSyncEndpoint(path, "DC01", broker.url, lambda db, stream, event: applied.append(event["type"]),
                                resend_after=2)
    endpoint.start()
    yield path, endpoint, applied
    endpoint.stop()


@pytest.mark.parametrize("topic", [topics.up_events("DC01"), topics.up_cmdack("DC01"), topics.up_state("DC01")])
def test_junk_to_the_centre_is_set_aside_and_the_site_stream_keeps_flowing(centre, site, broker, topic):
    central, client = centre
    db_path = central.app.extensions["central"].db_path
    publish_all(broker.url, topic, JUNK)
    assert wait_until(lambda: len(dead_letters(db_path)) >= len(JUNK)), dead_letters(db_path)
    assert all(reason for _, reason in dead_letters(db_path))
    path, endpoint, _ = site
    with write_transaction(path) as db:
        append_outbox(db, "up", [OutgoingEvent("stock.changed", {"location": "A-01-01", "sku": "SKU-BLUE-MUG",
                                                                 "qty_delta": 7, "reason": "count"})])
    endpoint.nudge()
    assert wait_until(lambda: client.get("/api/v1/sites/DC01/stock").json["stock"] == [
        {"location": "A-01-01", "sku": "SKU-BLUE-MUG", "lot": "", "qty": 7}])
    assert client.get("/api/v1/sync").json["dead_letters_open"] >= len(JUNK)


@pytest.mark.parametrize("topic", [topics.down_cmd("DC01"), topics.down_ack("DC01"), topics.CENTRAL_STATE])
def test_junk_to_the_site_is_set_aside_and_commands_keep_flowing(centre, site, broker, topic):
    central, client = centre
    path, endpoint, applied = site
    assert wait_until(lambda: applied == ["item.upserted"])  # the centre's item, sent when the site came online
    publish_all(broker.url, topic, JUNK)
    assert wait_until(lambda: len(dead_letters(path)) >= len(JUNK)), dead_letters(path)
    assert applied == ["item.upserted"]  # nothing applied from the junk
    assert client.put("/api/v1/items/SKU-KETTLE", json={"description": "Kettle", "gtins": []}).status_code == 200
    assert wait_until(lambda: applied == ["item.upserted", "item.upserted"]), applied
