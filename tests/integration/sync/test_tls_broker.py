"""TLS with a private CA: the real Mosquitto with the kit's TLS listener, a site syncing through it,
and clients that do not trust that CA (or do not speak TLS) refused."""
import socket
import ssl
import time

import pytest
from sqlite_utils import Database

from deploy.mosquitto import MosquittoBroker
from deploy.mqtt_access import main as mqtt_access, write_access_kit
from sync.hub_endpoint import HubSyncEndpoint
from sync.mqtt_paho import PahoTransport
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def migrated(path: str) -> str:
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.executescript("CREATE TABLE moves (seq INTEGER, qty INTEGER);")
    conn.close()
    return path


@pytest.fixture
def tls_broker(tmp_path):
    kit = tmp_path / "kit"
    logins = write_access_kit(kit, ["DC01"], tls=True)
    with MosquittoBroker(workdir=str(tmp_path / "mqtt"), access_kit=str(kit), tls_dir=str(kit / "tls")) as broker:
        yield broker, logins, kit


def handshake(port: int, cafile: str, host: str = "127.0.0.1") -> str:
    context = ssl.create_default_context(cafile=cafile)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            return tls.version()


def test_kit_writes_a_ca_a_broker_cert_and_a_tls_listener(tmp_path):
    assert mqtt_access(["--site", "DC01", "--out", str(tmp_path / "kit"), "--tls", "--tls-host", "mqtt.example.net"]) == 0
    tls = tmp_path / "kit" / "tls"
    assert {p.name for p in tls.iterdir()} == {"ca.crt", "ca.key", "server.crt", "server.key"}
    assert oct((tls / "ca.key").stat().st_mode & 0o777) == "0o600"
    conf = (tmp_path / "kit" / "mosquitto.conf").read_text()
    assert "listener 8883\n" in conf and f"certfile {tls.resolve() / 'server.crt'}" in conf
    cert = ssl._ssl._test_decode_cert(str(tls / "server.crt"))
    assert set(cert["subjectAltName"]) == {("IP Address", "127.0.0.1"), ("DNS", "localhost"),
                                           ("DNS", "mqtt.example.net")}
    assert mqtt_access(["--site", "DC01", "--out", str(tmp_path / "bad"), "--tls", "--tls-host", "a b\nc"]) == 2


def test_a_site_syncs_through_tls_and_strangers_to_the_ca_are_refused(tls_broker, tmp_path):
    broker, logins, kit = tls_broker
    ca = str(kit / "tls" / "ca.crt")
    assert broker.url.startswith("mqtts://")
    assert handshake(broker.port, ca) in ("TLSv1.2", "TLSv1.3")
    assert handshake(broker.port, ca, host="localhost")

    other = write_access_kit(tmp_path / "other", ["DC01"], tls=True) and tmp_path / "other" / "tls" / "ca.crt"
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(broker.port, str(other))          # a client trusting another CA does not get in

    hub_db, site_db = migrated(str(tmp_path / "hub.db")), migrated(str(tmp_path / "site.db"))
    hub = HubSyncEndpoint(hub_db, broker.url, lambda db, site, e: db.execute(
        "INSERT INTO moves VALUES (?, ?)", [e["seq"], e["data"]["qty_delta"]]), resend_after=2,
        username="central", password=logins["central"], ca_file=ca)
    site = SiteSyncEndpoint(site_db, "DC01", broker.url, lambda db, stream, event: None, resend_after=2,
                            username="DC01", password=logins["DC01"], ca_file=ca)
    hub.start()
    site.start()
    try:
        with write_transaction(site_db) as db:
            append_outbox(db, "up", [OutgoingEvent("stock.changed", {"qty_delta": -1}) for _ in range(25)])
        site.nudge()
        assert wait_until(lambda: site.health()["acked_through_seq"] == 25)
        with read_connection(hub_db) as conn:
            assert tuple(conn.execute("SELECT COUNT(DISTINCT seq), SUM(qty) FROM moves").fetchone()) == (25, -25)
        assert site.health()["connected"] and hub.health()["connected"]
    finally:
        site.stop()
        hub.stop()


def test_plain_mqtt_urls_refuse_a_ca_file_and_the_tls_port_refuses_plain_mqtt(tls_broker):
    broker, logins, kit = tls_broker
    with pytest.raises(ValueError, match="mqtts://"):
        PahoTransport("x", f"mqtt://127.0.0.1:{broker.port}", [], on_message=lambda t, p: None,
                      ca_file=str(kit / "tls" / "ca.crt"))
    with pytest.raises(ValueError, match="cannot read the MQTT CA file"):
        PahoTransport("x", broker.url, [], on_message=lambda t, p: None, ca_file=str(kit / "missing.crt"))
    plain = PahoTransport("wes-edge-DC01-plain", f"mqtt://127.0.0.1:{broker.port}", [], on_message=lambda t, p: None,
                          username="DC01", password=logins["DC01"])
    plain.start()
    try:
        assert not plain.wait_connected(2)
    finally:
        plain.stop()
