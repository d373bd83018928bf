"""A loopback TCP proxy the fault-injection run controls: pass bytes through, cut, stall, heal.

It sits between a process and the broker, so a partition can be made without touching either:
`cut()` resets every open connection and resets new ones as soon as they arrive (the client sees
the connection fail, as with a lost route), `stall()` keeps connections open but holds the bytes
(a black hole: MQTT keepalives run out after a while), `heal()` lets bytes flow again. With
`mqtt=True` it also cuts the streams into MQTT packets, and `reorder(True)` delivers PUBLISH packets
out of order (both ways). It runs an asyncio loop on its own thread, so the harness calls it from
plain threads.
"""
import asyncio
import random
import socket
import struct
import threading

from .mqtt_reorder import PacketReorderer

CHUNK = 65536


class TcpProxy:
    """Forward 127.0.0.1:<port> to a target host and port, under the harness's control."""

    def __init__(self, target_host: str, target_port: int, port: int | None = None, *, mqtt: bool = False,
                 rng: random.Random | None = None):
        self.target = (target_host, target_port)
        self.mqtt, self.rng = mqtt, rng or random.Random()
        self.reordering = False
        self._reorderers: list[PacketReorderer] = []
        # Listen from here on, so the port is ours before anyone is told it (a free port picked now
        # and bound later can be taken meanwhile, e.g. by an outgoing connection's ephemeral port).
        self._socket = socket.create_server(("127.0.0.1", port or 0))
        self.port = self._socket.getsockname()[1]
        self.state = "flowing"
        self.connections_seen = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"tcp-proxy-{self.port}", daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._flowing: asyncio.Event | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> "TcpProxy":
        self._thread.start()
        self._call(self._listen())
        return self

    def stop(self) -> None:
        if not self._thread.is_alive():
            self._socket.close()
            return
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def cut(self) -> None:
        """Drop every connection now and reset new ones until `heal()`."""
        self._call(self._set("cut"))

    def stall(self) -> None:
        """Keep connections open but hold their bytes until `heal()` (new connections stall too)."""
        self._call(self._set("stalled"))

    def heal(self) -> None:
        """Let bytes flow again; held bytes are delivered in order."""
        self._call(self._set("flowing"))

    def reorder(self, on: bool) -> None:
        """Deliver PUBLISH packets out of order (needs mqtt=True) until called with False."""
        if not self.mqtt:
            raise ValueError("reordering needs a proxy made with mqtt=True")
        self._call(self._set_reorder(on))

    @property
    def reordered(self) -> int:
        """How many PUBLISH packets were delivered off their place so far."""
        return sum(r.reordered for r in self._reorderers)

    @property
    def open_connections(self) -> int:
        return len(self._writers) // 2

    def _call(self, coro, timeout: float = 10.0):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _listen(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server = await asyncio.start_server(self._accept, sock=self._socket)

    async def _close(self) -> None:
        if self._server:
            self._server.close()
        self.state = "cut"
        self._abort_all()
        self._flowing.set()  # held chunks meet closed writers and their pumps end
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        if tasks:
            await asyncio.wait(tasks, timeout=2)

    async def _set(self, state: str) -> None:
        self.state = state
        if state == "flowing":
            self._flowing.set()
        else:
            self._flowing.clear()
        if state == "cut":
            self._abort_all()

    async def _set_reorder(self, on: bool) -> None:
        self.reordering = on
        for reorderer in self._reorderers:
            reorderer.enabled = on
            if not on:
                reorderer.flush()

    def _abort_all(self) -> None:
        for writer in list(self._writers):
            _abort(writer)
        self._writers.clear()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.connections_seen += 1
        if self.state == "cut":
            _abort(client_writer)
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:  # broker down: the client sees its connection closed, as it would directly
            _abort(client_writer)
            return
        if self.state == "cut":  # cut while we were connecting
            _abort(client_writer)
            _abort(upstream_writer)
            return
        pair = {client_writer, upstream_writer}
        self._writers |= pair
        await asyncio.gather(self._pump(client_reader, upstream_writer, pair),
                             self._pump(upstream_reader, client_writer, pair))
        self._writers -= pair

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, pair: set) -> None:
        """Copy one direction; when either side ends, end both (a half-open MQTT link is useless)."""
        def write_unless_closed(data: bytes) -> None:  # a held packet may outlive its connection
            if not writer.is_closing():
                writer.write(data)

        forward = writer.write
        if self.mqtt:
            reorderer = PacketReorderer(write_unless_closed, self._loop.call_later, self.rng)
            reorderer.enabled = self.reordering
            self._reorderers.append(reorderer)
            forward = reorderer.feed
        try:
            while True:
                data = await reader.read(CHUNK)
                await self._flowing.wait()  # a stall holds this chunk (or the close); TCP holds the rest
                if not data:
                    break
                if writer.is_closing():
                    break
                forward(data)
                await writer.drain()
        except (ConnectionError, OSError, ValueError):  # ValueError: not MQTT after all; drop the link
            pass
        finally:
            for other in pair:
                if not other.is_closing():
                    other.close()


def _abort(writer: asyncio.StreamWriter) -> None:
    """Reset the connection (RST, not FIN), like a link that has gone away."""
    sock = writer.get_extra_info("socket")
    try:
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    writer.transport.abort()
