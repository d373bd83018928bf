"""Scanner input behind one interface: keyboard wedge, serial (pyserial), Android DataWedge intents.

Framing is pure and shared with the edge (protocols.devices.scanners: AffixFramer for wedge/serial bytes,
intent_extras_to_raw for Android intents), so it is tested without hardware; transports only move bytes.
Every scan ends up as raw text for protocols.barcode.classify via on_scan.
"""
import logging
import threading
from collections.abc import Callable
from typing import Protocol

from protocols.devices.scanners import AffixFramer, IntentError, intent_extras_to_raw

log = logging.getLogger(__name__)
OnScan = Callable[[str], None]


class ScannerInput(Protocol):
    """A source of raw scans: start delivering them to on_scan, stop when asked."""

    def start(self, on_scan: OnScan) -> None: ...

    def stop(self) -> None: ...


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


def deliver_frames(framer: AffixFramer, data: bytes, on_scan: OnScan) -> None:
    """Feed bytes to the framer, hand each finished scan to on_scan and log what the framer dropped."""
    step = framer.feed(data)
    for problem in step.problems:
        log.warning("scanner: %s", problem)
    for frame in step.frames:
        try:
            on_scan(frame.text)
        except Exception:  # a presenter bug must not stop the scanner
            log.exception("scan handler failed")


class SerialScanner:
    """Read a serial scanner (or any pyserial URL: /dev/ttyUSB0, socket://, loop://) on a thread."""

    def __init__(self, url: str, baudrate: int = 9600, framer: AffixFramer | None = None):
        self.url, self.baudrate, self.framer = url, baudrate, framer or AffixFramer()
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
            if data:
                deliver_frames(self.framer, data, on_scan)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)
        if self.port is not None:
            self.port.close()


def bundle_to_extras(bundle) -> dict:
    """Copy an Android Bundle (as pyjnius shows it) into a plain dict for intent_extras_to_raw."""
    if bundle is None:
        return {}
    return {str(key): _plain(bundle.get(key)) for key in bundle.keySet().toArray()}


def _plain(value):
    # DataWedge decode_data is a java.util.List of byte[]: make it a Python list so android.py can join it.
    if hasattr(value, "toArray"):
        return [_plain(item) for item in value.toArray()]
    return value


def deliver_intent(extras: dict, on_scan: OnScan) -> None:
    """Hand the intent's scan (AIM id first when known) to on_scan; log an intent that carries no scan."""
    try:
        raw = intent_extras_to_raw(extras)
    except IntentError as err:  # a profile sending the wrong extras: the admin must fix it, not the picker
        log.warning("scan intent ignored: %s", err)
        return
    on_scan(raw)


class DataWedgeScanner:
    """Receive Zebra DataWedge (or Honeywell) broadcast intents on Android (python-for-android + pyjnius).

    Configure a DataWedge profile with Intent output: action ACTION, delivery "Broadcast intent". All the
    intent's extras (data_string, decode_data, label_type) go to intent_extras_to_raw, so the symbology
    becomes an AIM id and GS1 labels are recognised. Android 14 needs RECEIVER_EXPORTED, which
    android.broadcast does not pass: see docs/handheld.md.
    """

    ACTION = "com.wes.handheld.SCAN"

    def __init__(self):
        self._receiver = None

    def start(self, on_scan: OnScan) -> None:
        from android.broadcast import BroadcastReceiver  # type: ignore[import-not-found]  # only on Android

        def received(_context, intent) -> None:
            deliver_intent(bundle_to_extras(intent.getExtras()), on_scan)

        self._receiver = BroadcastReceiver(received, actions=[self.ACTION])
        self._receiver.start()

    def stop(self) -> None:
        if self._receiver is not None:
            self._receiver.stop()
