"""The chaos run's TCP proxy: pass-through, cut, stall and heal, against an echo server and Mosquitto."""
import random
import socket
import threading

import pytest

from deploy.tcp_proxy import TcpProxy
from sync.mqtt_paho import PahoTransport


@pytest.fixture
def echo_server():
    """A loopback server that echoes every byte back, one thread per connection."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            try:
                while data := conn.recv(4096):
                    conn.sendall(data)
            except OSError:  # the proxy resets us on a cut
                pass

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    stop.set()
    server.close()


@pytest.fixture
def proxy(echo_server):
    running = TcpProxy("127.0.0.1", echo_server).start()
    yield running
    running.stop()


def connect(proxy: TcpProxy) -> socket.socket:
    return socket.create_connection(("127.0.0.1", proxy.port), timeout=5)


def connection_fails(proxy: TcpProxy) -> bool:
    """Connect and read: a reset (while connecting or after) or an immediate close means it failed."""
    try:
        with connect(proxy) as sock:
            sock.settimeout(5)
            return sock.recv(10) == b""
    except ConnectionResetError:
        return True


def exchange(sock: socket.socket, data: bytes) -> bytes:
    sock.sendall(data)
    got = b""
    while len(got) < len(data):
        chunk = sock.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


def test_bytes_pass_through_both_ways(proxy):
    with connect(proxy) as sock:
        assert exchange(sock, b"hello broker") == b"hello broker"
        assert exchange(sock, b"x" * 200_000) == b"x" * 200_000


def test_cut_drops_open_connections_and_resets_new_ones_until_healed(proxy):
    with connect(proxy) as sock:
        assert exchange(sock, b"before") == b"before"
        proxy.cut()
        with pytest.raises(OSError):
            sock.sendall(b"during")
            if not sock.recv(10):  # an orderly close would also mean the link is gone
                raise ConnectionResetError("closed")
    with pytest.raises(OSError), connect(proxy) as again:
        again.sendall(b"still cut")
        if not again.recv(10):
            raise ConnectionResetError("closed")
    proxy.heal()
    with connect(proxy) as healed:
        assert exchange(healed, b"after") == b"after"


def test_stall_holds_bytes_and_heal_delivers_them_in_order(proxy):
    with connect(proxy) as sock:
        proxy.stall()
        sock.sendall(b"one,")
        sock.sendall(b"two")
        sock.settimeout(0.5)
        with pytest.raises(socket.timeout):
            sock.recv(10)
        proxy.heal()
        sock.settimeout(5)
        got = b""
        while len(got) < 7:
            got += sock.recv(10)
        assert got == b"one,two"


def test_a_client_sees_its_connection_fail_while_the_target_is_down():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        dead_port = unused.getsockname()[1]
    proxy = TcpProxy("127.0.0.1", dead_port).start()
    try:
        assert connection_fails(proxy)
        assert proxy.connections_seen == 1
    finally:
        proxy.stop()


def test_an_mqtt_client_loses_the_broker_on_cut_and_reconnects_after_heal(broker):
    proxy = TcpProxy("127.0.0.1", broker.port).start()
    transport = PahoTransport("proxy-test", proxy.url, subscriptions=[], on_message=lambda topic, payload: None)
    try:
        transport.start()
        assert transport.wait_connected(10)
        proxy.cut()
        disconnected = threading.Event()
        for _ in range(100):
            if not transport.connected:
                disconnected.set()
                break
            disconnected.wait(0.1)
        assert disconnected.is_set()
        proxy.heal()
        assert transport.wait_connected(20)
        assert proxy.open_connections == 1
    finally:
        transport.stop()
        proxy.stop()


def test_reorder_delivers_every_publish_but_out_of_order(broker):
    """A subscriber behind an MQTT-aware proxy gets all messages, in a shuffled order, while reordering."""
    received, done = [], threading.Event()

    def on_message(topic: str, payload: bytes) -> None:
        received.append(int(payload))
        if len(received) == 30:
            done.set()

    proxy = TcpProxy("127.0.0.1", broker.port, mqtt=True, rng=random.Random(7)).start()
    subscriber = PahoTransport("reorder-sub", proxy.url, subscriptions=["chaos/reorder"], on_message=on_message)
    publisher = PahoTransport("reorder-pub", broker.url, subscriptions=[], on_message=lambda topic, payload: None)
    try:
        subscriber.start()
        publisher.start()
        assert subscriber.wait_connected(10) and publisher.wait_connected(10)
        threading.Event().wait(0.5)  # let the subscription land before publishing
        proxy.reorder(True)
        for n in range(30):
            publisher.publish("chaos/reorder", str(n).encode(), qos=1)
        assert done.wait(10), received
        assert sorted(received) == list(range(30))
        assert received != list(range(30)) and proxy.reordered > 0
    finally:
        publisher.stop()
        subscriber.stop()
        proxy.stop()


def test_reorder_needs_an_mqtt_proxy(proxy):
    with pytest.raises(ValueError):
        proxy.reorder(True)
