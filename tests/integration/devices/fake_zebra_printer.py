"""FakeZebraPrinter: a loopback TCP 9100 printer that speaks the real byte protocol.

It splits ^XA...^XZ formats, records what it printed, answers ~HS with the three STX...ETX CR LF strings,
and, like a real Zebra, answers nothing to ~HS while paper-out, ribbon-out or head-open, while ~HQES still
names the error. It can also refuse connections, stall (take the job, never close), stall mid-send (stop
reading part-way through a job), drain slowly, or close the connection mid-send: a driver must treat the
last four as "may have printed".
"""
import socket
import struct
import threading

from protocols.devices.zpl_stream import ZplControl, ZplFormat, ZplStreamSplitter

READY, PAPER_OUT, HEAD_OPEN, RIBBON_OUT, STALL = "ready", "paper_out", "head_open", "ribbon_out", "stall"
STALL_MID_SEND, CLOSE_MID_SEND, SLOW_DRAIN = "stall_mid_send", "close_mid_send", "slow_drain"
SILENT_ON_HS = (PAPER_OUT, HEAD_OPEN, RIBBON_OUT)
MID_SEND = (STALL_MID_SEND, CLOSE_MID_SEND)
HQES_ERROR_BITS = {READY: 0, PAPER_OUT: 0x1, RIBBON_OUT: 0x2, HEAD_OPEN: 0x4}


def host_status_reply(paper_out: bool = False, head_up: bool = False, formats: int = 0) -> bytes:
    """Return a ~HS reply as a ZT410 sends it."""
    one = f"030,{int(paper_out)},0,1218,{formats:03d},0,0,0,000,0,0,0"
    two = f"000,0,{int(head_up)},0,1,2,6,0,00000000,1,000"
    return b"".join(b"\x02" + s.encode() + b"\x03\r\n" for s in (one, two, "1234,0"))


def extended_status_reply(errors: int = 0, warnings: int = 0) -> bytes:
    """Return a ~HQES reply laid out as a Zebra sends it (one STX...ETX block, CR LF lines)."""
    lines = ["", " PRINTER STATUS", f"   ERRORS:         {int(bool(errors))} 00000000 {errors:08X}",
             f"   WARNINGS:       {int(bool(warnings))} 00000000 {warnings:08X}", ""]
    return b"\x02" + "\r\n".join(lines).encode() + b"\x03\r\n"


class FakeZebraPrinter:
    """Run with `with FakeZebraPrinter() as printer:`; printer.url is tcp://127.0.0.1:<port>."""

    def __init__(self, paper_runs_out_after: int | None = None):
        self.state = READY
        self.printed: list[bytes] = []
        self.held: list[bytes] = []  # taken while paper-out: printed when paper is loaded again
        self.status_queries = 0
        self.partial: list[bytes] = []  # what arrived of jobs cut off mid-send
        self.drain_bytes, self.drain_pause = 64, 0.05  # SLOW_DRAIN: this many bytes, then this pause
        self.paper_runs_out_after = paper_runs_out_after
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self.port = 0

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def __enter__(self) -> "FakeZebraPrinter":
        self._listen()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.refuse()
        for thread in self._threads:
            thread.join(timeout=2)

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(8)
        listener.settimeout(0.1)
        self.port, self._listener = listener.getsockname()[1], listener
        thread = threading.Thread(target=self._accept_loop, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def refuse(self) -> None:
        """Stop listening: connecting now gets 'connection refused'."""
        if self._listener:
            self._listener.close()
            self._listener = None

    def accept_again(self) -> None:
        """Listen again on the same port."""
        if not self._listener:
            self._listen()

    def set_state(self, state: str) -> None:
        """Switch to one of the states above; loading paper (ready again) prints what was held."""
        with self._lock:
            self.state = state
            if state == READY:
                self.printed.extend(self.held)
                self.held.clear()

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stop.is_set() and self._listener is listener:
            try:
                conn, _ = listener.accept()
            except (socket.timeout, OSError):
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        splitter = ZplStreamSplitter()
        conn.settimeout(0.1)
        with conn:
            while not self._stop.is_set():
                try:
                    data = conn.recv(256 if self.state in MID_SEND else
                                     self.drain_bytes if self.state == SLOW_DRAIN else 4096)
                except socket.timeout:
                    continue
                except OSError:
                    return
                if not data:
                    break
                if self.state in MID_SEND and b"^XA" in data:
                    return self._cut_off(conn, data)
                for item in splitter.feed(data):
                    self._handle(conn, item)
                if self.state == SLOW_DRAIN:
                    self._stop.wait(self.drain_pause)
            while self.state == STALL and not self._stop.is_set():
                self._stop.wait(0.05)  # keep the connection open: the sender never sees us finish

    def _cut_off(self, conn: socket.socket, data: bytes) -> None:
        """Keep the first bytes of a job, then stop reading (stall) or reset the connection (close)."""
        self.partial.append(data)
        if self.state == CLOSE_MID_SEND:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST now
            return
        while self.state == STALL_MID_SEND and not self._stop.is_set():
            self._stop.wait(0.05)

    def _handle(self, conn: socket.socket, item: ZplFormat | ZplControl) -> None:
        with self._lock:
            if isinstance(item, ZplControl):
                self.status_queries += 1
                if item.command == b"~HS" and self.state not in SILENT_ON_HS:
                    conn.sendall(host_status_reply(formats=0))
                elif item.command == b"~HQES":
                    conn.sendall(extended_status_reply(HQES_ERROR_BITS.get(self.state, 0)))
                return  # ~HS while paper-out / ribbon-out / head-open: a real Zebra stays silent
            if self.state in SILENT_ON_HS:
                self.held.append(item.data)
                return
            self.printed.append(item.data)
            if self.paper_runs_out_after is not None and len(self.printed) >= self.paper_runs_out_after:
                self.state, self.paper_runs_out_after = PAPER_OUT, None  # the roll runs out once
