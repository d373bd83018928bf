"""The paho-mqtt adapter: the only module that imports paho (see GOTCHAS.md for why each choice)."""
import logging
import socket
import ssl
import threading
from typing import Callable
from urllib.parse import urlparse

import paho.mqtt.client as mqtt

log = logging.getLogger(__name__)

AUTH_FAILURES = {"Bad user name or password", "Not authorized", "Banned", "Client identifier not valid"}


DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883}


def parse_mqtt_url(url: str) -> tuple[str, int]:
    """Turn mqtt://host:port or mqtts://host:port into (host, port); raise ValueError on anything else."""
    parsed = urlparse(url)
    if parsed.scheme not in DEFAULT_PORTS or not parsed.hostname:
        raise ValueError(f"MQTT URL must look like mqtt://127.0.0.1:1883 or mqtts://broker:8883, got {url!r}")
    return parsed.hostname, parsed.port or DEFAULT_PORTS[parsed.scheme]


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Trust only our private CA when one is given (else the system's); always check the broker's name."""
    try:
        context = ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as err:
        raise ValueError(f"cannot read the MQTT CA file {ca_file}: {err}. Give the ca.crt that "
                         "wes-mqtt-access --tls wrote.") from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class PahoTransport:
    """Connect, keep subscriptions across reconnects, and hand every message to one callback.

    Clean start on every connect: all sync state lives in SQLite, never in the broker session.
    """

    def __init__(self, client_id: str, url: str, subscriptions: list[str],
                 on_message: Callable[[str, bytes], None], on_connected: Callable[[], None] = lambda: None,
                 will: tuple[str, bytes] | None = None, username: str | None = None, password: str | None = None,
                 ca_file: str | None = None):
        self.host, self.port = parse_mqtt_url(url)
        self.tls = url.startswith("mqtts:")
        if ca_file and not self.tls:
            raise ValueError("--mqtt-ca-file needs an mqtts:// broker URL (TLS); use mqtts://host:8883.")
        self.subscriptions = list(subscriptions)
        self._subscribing = threading.Lock()  # the link thread may add topics while paho's thread reconnects
        self._on_message, self._on_connected = on_message, on_connected
        self._connected = threading.Event()
        self.auth_error: str | None = None
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                                  protocol=mqtt.MQTTv5)
        if self.tls:
            self.client.tls_set_context(tls_context(ca_file))
        if username:
            self.client.username_pw_set(username, password)
        if will:
            self.client.will_set(will[0], will[1], qos=1, retain=True)
        self.client.reconnect_delay_set(1, 10)
        self.client.max_queued_messages_set(0)
        self.client.on_connect = self._handle_connect
        self.client.on_disconnect = self._handle_disconnect
        self.client.on_message = self._handle_message

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=15, clean_start=True)
        self.client.loop_start()

    def stop(self, final: tuple[str, bytes] | None = None) -> None:
        """Disconnect cleanly, publishing a last retained message (e.g. offline state) first."""
        if final and self.connected:
            info = self.client.publish(final[0], final[1], qos=1, retain=True)
            try:
                info.wait_for_publish(timeout=2)
            except (RuntimeError, ValueError):
                pass
        self.client.disconnect()
        self.client.loop_stop()
        self._connected.clear()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=qos, retain=retain)

    def subscribe(self, topic: str) -> None:
        """Subscribe now (when connected) and again on every reconnect."""
        with self._subscribing:
            if topic not in self.subscriptions:
                self.subscriptions.append(topic)
            if self.connected:
                self.client.subscribe(topic, qos=1)

    def unsubscribe(self, topic: str) -> None:
        """Stop a subscription now and on later reconnects."""
        with self._subscribing:
            if topic in self.subscriptions:
                self.subscriptions.remove(topic)
            if self.connected:
                self.client.unsubscribe(topic)

    def _handle_connect(self, client, userdata, flags, reason_code, properties) -> None:
        try:
            if reason_code.is_failure:
                if str(reason_code) in AUTH_FAILURES:
                    self.auth_error = str(reason_code)
                    log.error("MQTT broker refused us (%s): check the site credentials; not retrying", reason_code)
                    client.disconnect()
                return
            sock = client.socket()
            if isinstance(sock, socket.socket):  # acks are small: Nagle would hold each one ~40 ms
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._subscribing:
                for topic in self.subscriptions:
                    client.subscribe(topic, qos=1)
                self._connected.set()
            log.info("connected to MQTT %s:%s", self.host, self.port)
            self._on_connected()
        except Exception:  # a callback exception must never kill paho's network loop
            log.exception("error in MQTT on_connect")

    def _handle_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        self._connected.clear()
        log.info("disconnected from MQTT (%s)", reason_code)

    def _handle_message(self, client, userdata, message) -> None:
        try:
            self._on_message(message.topic, message.payload)
        except Exception:
            log.exception("error handling MQTT message on %s", message.topic)
