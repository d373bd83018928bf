"""Edit the printer registry of a running edge: check, audit, write the file atomically, swap it in.

Packing and the print worker read the registry through LiveDeviceRegistry, so an edit takes effect on the
next carton and the next drain, without a restart.
"""
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from edge.adapters.staff_accounts import audit
from protocols.labels import LabelError
from sync.sqlite_store import write_transaction

from . import print_queue as queue
from .registry import DeviceConfig, PrinterBusy, PrinterConfig, RegistryError, save_device_config

PRINTER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
SERIAL_PATH = re.compile(r"^(/dev/[\w./:+-]+|COM\d{1,3})$")
SERIAL_URL_SCHEMES = ("rfc2217",)
EDIT_DPIS = (203, 300)
PACK_STATION = "PACK"


class LiveDeviceRegistry:
    """The running site's device config, file-backed; reads always see one whole config."""

    def __init__(self, path: str | Path, config: DeviceConfig):
        self.path, self._config = Path(path), config
        self._edit_lock = threading.Lock()

    @property
    def current(self) -> DeviceConfig:
        return self._config

    # DeviceConfig's interface, so packing and the dispatcher can take the live registry as their config.
    @property
    def site_id(self) -> str:
        return self._config.site_id

    @property
    def sscc(self):
        return self._config.sscc

    @property
    def printers(self) -> dict[str, PrinterConfig]:
        return self._config.printers

    @property
    def scanners(self):
        return self._config.scanners

    def printer(self, name: str) -> PrinterConfig:
        return self._config.printer(name)

    @contextmanager
    def editing(self) -> Iterator[DeviceConfig]:
        """Serialise edits: yield the config to change; one edit at a time reads, checks and writes."""
        with self._edit_lock:
            yield self._config

    def swap(self, config: DeviceConfig) -> None:
        """Make config the one everybody reads (call after it is saved)."""
        self._config = config


def check_printer_url(url: str) -> None:
    """Raise RegistryError unless url is tcp://host[:port], a serial device path or an rfc2217:// URL."""
    if url.startswith("tcp://"):
        parsed = urlparse(url)
        try:
            parsed.port  # noqa: B018 - raises ValueError on a port out of range
        except ValueError:
            raise RegistryError(f"URL {url!r} has a bad port: use tcp://host:9100.") from None
        if not parsed.hostname or parsed.path not in ("", "/"):
            raise RegistryError(f"URL {url!r} is not tcp://host:port: use e.g. tcp://10.20.0.31:9100.")
        return
    if SERIAL_PATH.match(url) or urlparse(url).scheme in SERIAL_URL_SCHEMES:
        return
    raise RegistryError(f"URL {url!r} is neither tcp://host:port nor a serial port (/dev/ttyUSB0, COM3, "
                        "rfc2217://host:port).")


def check_edited_printer(config: DeviceConfig, printer: PrinterConfig) -> list[str]:
    """Raise RegistryError when printer does not fit into config; return warnings for the operator."""
    if not PRINTER_NAME.match(printer.name):
        raise RegistryError(f"Printer name {printer.name!r} is not valid: use up to 32 letters, digits, '.', '_' "
                            "or '-'.")
    if printer.dpi not in EDIT_DPIS:
        raise RegistryError(f"Printer resolution {printer.dpi} dpi is not supported here: use 203 or 300.")
    check_printer_url(printer.url)
    try:
        printer.size  # noqa: B018 - validates the label size
    except LabelError as err:
        raise RegistryError(str(err)) from None
    if printer.fallback:
        if printer.fallback == printer.name:
            raise RegistryError(f"Printer {printer.name} cannot fall back to itself: name another printer or none.")
        _check_fallback(printer, config.printers.get(printer.fallback), printer.fallback)
    for other in config.printers.values():
        if other.fallback == printer.name and other.name != printer.name:
            _check_fallback(other, printer, printer.name)
    edited = config.with_printer(printer)
    return _pack_station_warnings(edited)


def _check_fallback(printer: PrinterConfig, fallback: PrinterConfig | None, name: str) -> None:
    if fallback is None:
        raise RegistryError(f"Printer {printer.name} falls back to {name}, which is not in the registry: "
                            "add that printer first or leave the fallback empty.")
    if (fallback.dpi, fallback.size) != (printer.dpi, printer.size):
        raise RegistryError(
            f"Printer {printer.name} ({_stock(printer)}) falls back to {name} ({_stock(fallback)}): "
            "a fallback must have the same resolution and label size.")


def _stock(printer: PrinterConfig) -> str:
    return f"{printer.dpi} dpi, {printer.width_mm:g} x {printer.height_mm:g} mm"


def _pack_station_warnings(config: DeviceConfig) -> list[str]:
    pack = next((p for p in config.printers.values() if p.station == PACK_STATION), None)
    if pack is None:
        return ["No printer has station PACK: cartons get SSCCs but no labels print."] if config.sscc else []
    try:
        pack.size.require_at_least(100, 148, f"GS1 logistic label on {pack.name}")
    except LabelError as err:
        raise RegistryError(f"{err} {pack.name} is the packing printer: give it 4 x 6 in stock.") from None
    return []


def put_printer(db_path: str, registry: LiveDeviceRegistry, printer: PrinterConfig, actor: str, reason: str,
                now: datetime) -> dict:
    """Add or replace a printer; return {"printer", "created", "warnings"}."""
    with registry.editing() as config:
        warnings = check_edited_printer(config, printer)
        before = config.printers.get(printer.name)
        edited = config.with_printer(printer)
        _save_audited(db_path, registry, edited, actor, "printer.replaced" if before else "printer.added",
                      printer.name, now, reason, {"before": asdict(before) if before else None,
                                                  "after": asdict(printer)})
    return {"printer": asdict(printer), "created": before is None, "warnings": warnings}


def remove_printer(db_path: str, registry: LiveDeviceRegistry, name: str, actor: str, reason: str,
                   now: datetime) -> dict:
    """Remove a printer that no job waits for and no printer falls back to; return {"removed", "warnings"}."""
    with registry.editing() as config:
        printer = config.printer(name)
        dependants = sorted(p.name for p in config.printers.values() if p.fallback == name)
        if dependants:
            raise PrinterBusy(f"{', '.join(dependants)} fall(s) back to {name}: change their fallback first.")
        edited = config.without_printer(name)
        _save_audited(db_path, registry, edited, actor, "printer.removed", name, now, reason,
                      {"before": asdict(printer)}, busy_check=name)
    return {"removed": name, "warnings": _pack_station_warnings(edited)}


def _save_audited(db_path: str, registry: LiveDeviceRegistry, edited: DeviceConfig, actor: str, action: str,
                  name: str, now: datetime, reason: str, detail: dict, busy_check: str = "") -> None:
    saved = False
    try:
        with write_transaction(db_path) as db:
            if busy_check:  # inside the write lock: no job can be queued for the printer between check and save
                waiting = queue.open_job_count(db, busy_check)
                if waiting:
                    raise PrinterBusy(f"{waiting} print job(s) wait for {busy_check}: reprint them on another "
                                      "printer or cancel them, then remove it.")
            audit(db, actor, action, f"printer:{name}", now, reason, detail)
            save_device_config(registry.path, edited)
            saved = True
    except BaseException:
        if saved:  # the audit entry did not commit: put the file back as it was
            save_device_config(registry.path, registry.current)
        raise
    registry.swap(edited)
