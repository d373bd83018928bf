"""Serial scanner driver: open a pyserial URL, read with timeouts, answer the codec, reconnect when unplugged.

The codec (line framing or SSI) is pure; this module only moves bytes. A scanner that is unplugged makes
reads fail: the port is closed, the codec forgets half-received data, and the port is reopened with
backoff (0.2 s doubling to 5 s) until it comes back. Point `url` at a stable name such as
/dev/serial/by-id/..., because a replugged USB scanner may come back as another ttyACM number.
"""
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import serial

from protocols.barcode import BarcodeError, Scan, classify
from protocols.devices.scanners import LineCodec, Packet, ScanFrame, ScannerProfile, ScannerStep, SsiHostSession

log = logging.getLogger(__name__)
NO_AIM_ID = "the scanner sent no AIM id; turn on AIM id transmission (see its profile in docs/devices.md)"


@dataclass(frozen=True)
class ScanRead:
    """One scan off the wire: the frame byte for byte, and its resolution or the reason it was refused."""

    frame: ScanFrame
    scan: Scan | None
    error: str = ""


class ReconnectBackoff:
    """Delays between reopen attempts: initial, doubling, capped; reset once the port opens."""

    def __init__(self, initial: float = 0.2, maximum: float = 5.0):
        self.initial, self.maximum = initial, maximum
        self._next = initial

    def next_delay(self) -> float:
        delay, self._next = self._next, min(self._next * 2, self.maximum)
        return delay

    def reset(self) -> None:
        self._next = self.initial


def codec_for_profile(profile: ScannerProfile):
    """Return the pure codec a profile's link needs."""
    if profile.link == "ssi":
        return SsiHostSession()
    # CR LF, CR and LF all end a scan: a scanner set to CR only must not hang the line until its next scan.
    return LineCodec()


class SerialScannerDriver:
    """Read one serial scanner on a thread and hand every ScanRead to on_read."""

    def __init__(self, url: str, on_read: Callable[[ScanRead], None], codec=None, baudrate: int = 9600,
                 parity: str = "N", read_timeout: float = 0.1, backoff: ReconnectBackoff | None = None,
                 gs_substitute: str | None = None, require_aim: bool = False,
                 open_port: Callable = serial.serial_for_url, clock: Callable[[], float] = time.monotonic):
        self.url, self.on_read, self.codec = url, on_read, codec or LineCodec()
        self.baudrate, self.parity, self.read_timeout = baudrate, parity, read_timeout
        self.backoff = backoff or ReconnectBackoff()
        self.gs_substitute, self.require_aim = gs_substitute, require_aim
        self._open_port, self._clock = open_port, clock
        self._stop = threading.Event()
        self._outgoing: queue.Queue[Packet] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._port = None
        self.opens, self.reads, self.last_error = 0, 0, ""
        self.connected = threading.Event()

    @classmethod
    def for_profile(cls, url: str, profile: ScannerProfile, on_read, **options) -> "SerialScannerDriver":
        """Build a driver whose codec, GS handling and AIM expectation come from a scanner profile."""
        options.setdefault("gs_substitute", profile.gs_substitute)
        options.setdefault("require_aim", profile.aim_ids)
        return cls(url, on_read, codec=codec_for_profile(profile), **options)

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"scanner {self.url}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._close()

    def send_command(self, packet: Packet) -> None:
        """Queue an SSI command for the scanner; it goes out when no other command waits for its ACK."""
        if not isinstance(self.codec, SsiHostSession):
            raise TypeError("commands need an SSI link; this scanner's codec only reads lines")
        self._outgoing.put(packet)

    def health(self) -> dict:
        return {"url": self.url, "connected": self.connected.is_set(), "opens": self.opens,
                "reads": self.reads, "last_error": self.last_error}

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._port is None and not self._connect():
                self._stop.wait(self.backoff.next_delay())
                continue
            try:
                self._pump()
            except (serial.SerialException, OSError) as err:  # unplugged, or the pty closed
                self.last_error = f"{self.url}: {err}"
                log.warning("scanner lost: %s; reconnecting", self.last_error)
                self._close()
                self._stop.wait(self.backoff.next_delay())

    def _connect(self) -> bool:
        try:
            # Opening flushes input: bytes sent while we were away are lost, and that is what a real port does too.
            self._port = self._open_port(self.url, baudrate=self.baudrate, parity=self.parity,
                                         timeout=self.read_timeout, write_timeout=self.read_timeout * 10)
        except (serial.SerialException, OSError, ValueError) as err:
            self.last_error = f"cannot open {self.url}: {err}"
            log.info("%s", self.last_error)
            return False
        self.codec.reset()
        self.backoff.reset()
        self.opens += 1
        self.connected.set()
        return True

    def _pump(self) -> None:
        now = self._clock()
        if isinstance(self.codec, SsiHostSession) and not self.codec.busy and not self._outgoing.empty():
            self._port.write(self.codec.send(self._outgoing.get_nowait(), now))
        data = self._port.read(self._port.in_waiting or 1)  # returns after read_timeout when idle
        step = self.codec.receive(data, now) if data else ScannerStep()
        step.extend(self.codec.poll(self._clock()))
        for reply in step.replies:
            self._port.write(reply)
        for problem in step.problems:
            log.warning("scanner %s: %s", self.url, problem)
        for frame in step.frames:
            self._deliver(frame)

    def _deliver(self, frame: ScanFrame) -> None:
        self.reads += 1
        if self.require_aim and not frame.has_aim_id:
            read = ScanRead(frame, None, NO_AIM_ID)
        else:
            try:
                read = ScanRead(frame, classify(frame.text, self.gs_substitute))
            except BarcodeError as err:
                read = ScanRead(frame, None, str(err))
        try:
            self.on_read(read)
        except Exception:  # a consumer bug must not stop the scanner
            log.exception("scan handler failed")

    def _close(self) -> None:
        self.connected.clear()
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass
