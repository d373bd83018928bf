"""With the access kit, a site can publish only as itself and bad logins are refused."""
import json
import time
import uuid

import paho.mqtt.client as mqtt
import pytest

from deploy.mosquitto import MosquittoBroker
from deploy.mqtt_access import write_access_kit
from sync.hub_endpoint import HubSyncEndpoint
from sync.mqtt_paho import PahoTransport
from sync.sqlite_store import read_connection, utc_now


@pytest.fixture
def secured(tmp_path):
    logins = write_access_kit(tmp_path / "kit", ["DC01", "DC02"])
    with MosquittoBroker(workdir=str(tmp_path / "mqtt"), access_kit=str(tmp_path / "kit")) as broker:
        yield broker, logins


def batch(site: str) -> bytes:
    event = {"seq": 1, "event_id": str(uuid.uuid4()), "type": "stock.changed", "occurred_at": utc_now(),
             "recorded_at": utc_now(), "device_id": None, "op_id": None, "data": {"qty_delta": -1}}
    return json.dumps({"v": 1, "site": site, "epoch": 1, "first_seq": 1, "last_seq": 1, "sent_at": utc_now(),
                       "events": [event]}).encode()


def stored_sites(path: str) -> set[str]:
    with read_connection(path) as conn:
        return {row[0] for row in conn.execute("SELECT stream FROM sync_inbox")}


def test_a_site_cannot_publish_as_another(secured, hub_db):
    broker, logins = secured
    hub = HubSyncEndpoint(hub_db, broker.url, lambda db, site, event: None,
                          username="central", password=logins["central"])
    hub.start()
    rogue = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="rogue-DC01", protocol=mqtt.MQTTv5)
    rogue.username_pw_set("DC01", logins["DC01"])
    try:
        assert hub.transport.wait_connected(10)
        time.sleep(0.3)  # let the hub's subscriptions settle
        rogue.connect("127.0.0.1", broker.port)
        rogue.loop_start()
        # Same connection, so the broker handles them in order: if the first were allowed,
        # it would be stored before the second.
        rogue.publish("wes/v1/DC02/up/events", batch("DC02"), qos=1).wait_for_publish(5)
        rogue.publish("wes/v1/DC01/up/events", batch("DC01"), qos=1).wait_for_publish(5)
        deadline = time.monotonic() + 10
        while "DC01" not in stored_sites(hub_db) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stored_sites(hub_db) == {"DC01"}
    finally:
        rogue.loop_stop()
        rogue.disconnect()
        hub.stop()


def test_a_wrong_password_is_refused_and_not_retried(secured):
    broker, _ = secured
    transport = PahoTransport("wes-edge-DC01", broker.url, [], on_message=lambda t, p: None,
                              username="DC01", password="not-the-password")
    transport.start()
    try:
        deadline = time.monotonic() + 10
        while transport.auth_error is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert transport.auth_error is not None and not transport.connected
    finally:
        transport.stop()


def test_access_kit_refuses_bad_site_ids(tmp_path):
    with pytest.raises(ValueError):
        write_access_kit(tmp_path / "kit", ["DC01", "../etc"])
