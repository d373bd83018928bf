"""Printer registry of one site, loaded from (and saved to) a JSON config file."""
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from protocols.labels import LabelError, LabelSize, PrinterResolution, SsccSeries


class RegistryError(ValueError):
    """Raise when the devices config file is wrong; str(err) names the file and the field."""


class UnknownPrinter(RegistryError):
    """Raise when no printer of the registry has the name asked for."""


class PrinterBusy(RegistryError):
    """Raise when a printer cannot be removed now (jobs wait for it, or another printer falls back to it)."""


@dataclass(frozen=True)
class PrinterConfig:
    """One label printer: where it is, what it prints on, and who takes over when it is down."""

    name: str
    url: str
    dpi: int = 203
    width_mm: float = 101.6
    height_mm: float = 152.4
    station: str = ""
    fallback: str = ""

    @property
    def resolution(self) -> PrinterResolution:
        return PrinterResolution(self.dpi)

    @property
    def size(self) -> LabelSize:
        return LabelSize(self.width_mm, self.height_mm)


@dataclass(frozen=True)
class ScannerConfig:
    """A scanner wired to the edge (serial or USB CDC): where it is and which profile frames its bytes."""

    name: str
    url: str
    profile: str = "zebra-serial"
    station: str = ""


@dataclass(frozen=True)
class DeviceConfig:
    """A site's device settings: its SSCC series, its printers and its scanners by name."""

    site_id: str
    sscc: SsccSeries | None
    printers: dict[str, PrinterConfig]
    scanners: dict[str, ScannerConfig] = field(default_factory=dict)

    def printer(self, name: str) -> PrinterConfig:
        """Return the printer called name, or raise UnknownPrinter listing the known ones."""
        if name not in self.printers:
            raise UnknownPrinter(f"No printer {name!r}; known printers: {', '.join(sorted(self.printers)) or 'none'}.")
        return self.printers[name]

    def with_printer(self, printer: PrinterConfig) -> "DeviceConfig":
        """Return a copy with the printer added or replaced (the edge edits the registry this way)."""
        return replace(self, printers={**self.printers, printer.name: printer})

    def without_printer(self, name: str) -> "DeviceConfig":
        """Return a copy without the printer called name."""
        return replace(self, printers={k: p for k, p in self.printers.items() if k != name})


def load_device_config(path: str | Path) -> DeviceConfig:
    """Read a devices config file; raise RegistryError saying what is wrong."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        printers = {p["name"]: PrinterConfig(**p) for p in raw.get("printers", [])}
        for printer in printers.values():
            printer.resolution, printer.size  # noqa: B018 - validates dpi and size now, not at print time
            if printer.fallback and printer.fallback not in printers:
                raise RegistryError(f"printer {printer.name} falls back to unknown printer {printer.fallback}")
        sscc = raw.get("sscc")
        series = SsccSeries(sscc["company_prefix"], int(sscc["extension_digit"]), int(sscc["first_serial"]),
                            int(sscc["last_serial"])) if sscc else None
        scanners = {s["name"]: ScannerConfig(**s) for s in raw.get("scanners", [])}
        return DeviceConfig(raw["site_id"], series, printers, scanners)
    except (OSError, json.JSONDecodeError, KeyError, TypeError, LabelError, RegistryError) as err:
        raise RegistryError(f"Devices config {path} is not usable: {type(err).__name__}: {err}") from None


def save_device_config(path: str | Path, config: DeviceConfig) -> None:
    """Write the config back atomically (temp file + rename), e.g. after an edit through the edge."""
    data = {"site_id": config.site_id}
    if config.sscc:
        data["sscc"] = asdict(config.sscc)
    data["printers"] = [asdict(p) for p in config.printers.values()]
    if config.scanners:
        data["scanners"] = [asdict(s) for s in config.scanners.values()]
    target = Path(path)
    # A crash mid-write must leave the old file whole: readers only ever see the old or the new one.
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o777)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
