"""An edge that dies halfway through its answer is 'unreachable' to the handheld, not a crash.

Found by the chaos run (issue 5): a site killed mid-response made http.client raise IncompleteRead,
which escaped the client and killed the simulated picker.
"""
import socket
import threading

import pytest

from handheld.edge_client import EdgeClient, EdgeUnreachable


@pytest.fixture
def edge_that_dies_mid_reply():
    """Answer every request with headers promising 100 bytes, send 3, and close."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"t")

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_a_reply_cut_short_is_reported_as_edge_unreachable(edge_that_dies_mid_reply):
    client = EdgeClient(edge_that_dies_mid_reply, "HH-01", timeout=5)
    with pytest.raises(EdgeUnreachable):
        client.next_task()
