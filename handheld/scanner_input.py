"""Scanner input behind one interface: keyboard wedge, serial (pyserial), Android DataWedge intents.

Framing is pure (feed bytes or keys, get scans) so it is tested without hardware; transports only
move bytes. Every scan ends up as raw text for protocols.barcode.classify via on_scan.
"""
import logging
import threading
from typing import Callable, Protocol

log = logging.getLogger(__name__)
OnScan = Callable[[str], None]


class ScannerInput(Protocol):
    """A source of raw scans: start delivering them to on_scan, stop when asked."""

    def start(self, on_scan: OnScan) -> None: ...

    def stop(self) -> None: ...


class SuffixFramer:
    """Split a byte stream into scans at the scanner's suffix (CR, LF or CR LF); keep partial data."""

    def __init__(self, encoding: str = "utf-8", max_length: int = 4096):
        self.encoding, self.max_length = encoding, max_length
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[str]:
        self._buffer.extend(data)
        scans = []
        while True:
            ends = [i for i in (self._buffer.find(b"\r"), self._buffer.find(b"\n")) if i >= 0]
            if not ends:
                break
            end = min(ends)
            frame, self._buffer = bytes(self._buffer[:end]), self._buffer[end + 1:]
            if frame:
                scans.append(frame.decode(self.encoding, errors="replace"))
        if len(self._buffer) > self.max_length:  # a scanner with no suffix configured: do not grow forever
            log.warning("dropping %d bytes with no scan suffix", len(self._buffer))
            self._buffer.clear()
        return scans


class WedgeTiming:
    """Tell scanner bursts from a person typing: scanners send every key within max_gap seconds."""

    def __init__(self, max_gap: float = 0.05):
        self.max_gap = max_gap
        self._last: float | None = None
        self.human = False

    def key(self, at: float) -> None:
        if self._last is not None and at - self._last > self.max_gap:
            self.human = True
        self._last = at

    def end(self) -> bool:
        """Finish one entry (Enter); return True if it looked like a scanner burst."""
        scanned = not self.human
        self._last, self.human = None, False
        return scanned


class SerialScanner:
    """Read a serial scanner (or any pyserial URL: /dev/ttyUSB0, socket://, loop://) on a thread."""

    def __init__(self, url: str, baudrate: int = 9600, framer: SuffixFramer | None = None):
        self.url, self.baudrate, self.framer = url, baudrate, framer or SuffixFramer()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.port = None

    def start(self, on_scan: OnScan) -> None:
        import serial  # only the serial transport needs pyserial

        self.port = serial.serial_for_url(self.url, baudrate=self.baudrate, timeout=0.1)
        self._stop.clear()
        self._thread = threading.Thread(target=self._read, args=(on_scan,), name="serial-scanner", daemon=True)
        self._thread.start()

    def _read(self, on_scan: OnScan) -> None:
        while not self._stop.is_set():
            data = self.port.read(self.port.in_waiting or 1)
            for scan in self.framer.feed(data) if data else ():
                try:
                    on_scan(scan)
                except Exception:  # a presenter bug must not stop the scanner
                    log.exception("scan handler failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)
        if self.port is not None:
            self.port.close()


class DataWedgeScanner:
    """Receive Zebra DataWedge broadcast intents on Android (python-for-android + pyjnius).

    Configure a DataWedge profile with Intent output: action ACTION, delivery "Broadcast intent". The
    intent extra com.symbol.datawedge.data_string holds the data; label_type gives the symbology.
    Android 14 needs RECEIVER_EXPORTED, which android.broadcast does not pass: see docs/handheld.md.
    """

    ACTION = "com.wes.handheld.SCAN"
    DATA_EXTRA = "com.symbol.datawedge.data_string"

    def __init__(self):
        self._receiver = None

    def start(self, on_scan: OnScan) -> None:
        from android.broadcast import BroadcastReceiver  # type: ignore[import-not-found]  # only on Android

        def received(_context, intent) -> None:
            on_scan(intent.getStringExtra(self.DATA_EXTRA) or "")

        self._receiver = BroadcastReceiver(received, actions=[self.ACTION])
        self._receiver.start()

    def stop(self) -> None:
        if self._receiver is not None:
            self._receiver.stop()
