"""Printer registry of one site, loaded from (and saved to) a JSON config file."""
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from protocols.labels import LabelError, LabelSize, PrinterResolution, SsccSeries


class RegistryError(ValueError):
    """Raise when the devices config file is wrong; str(err) names the file and the field."""


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
class DeviceConfig:
    """A site's device settings: its SSCC series and its printers by name."""

    site_id: str
    sscc: SsccSeries | None
    printers: dict[str, PrinterConfig]

    def printer(self, name: str) -> PrinterConfig:
        """Return the printer called name, or raise RegistryError listing the known ones."""
        if name not in self.printers:
            raise RegistryError(f"No printer {name!r}; known printers: {', '.join(sorted(self.printers)) or 'none'}.")
        return self.printers[name]

    def with_printer(self, printer: PrinterConfig) -> "DeviceConfig":
        """Return a copy with the printer added or replaced (the edge edits the registry this way)."""
        return replace(self, printers={**self.printers, printer.name: printer})


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
        return DeviceConfig(raw["site_id"], series, printers)
    except (OSError, json.JSONDecodeError, KeyError, TypeError, LabelError, RegistryError) as err:
        raise RegistryError(f"Devices config {path} is not usable: {type(err).__name__}: {err}") from None


def save_device_config(path: str | Path, config: DeviceConfig) -> None:
    """Write the config back, e.g. after an edit through the edge."""
    data = {"site_id": config.site_id, "printers": [asdict(p) for p in config.printers.values()]}
    if config.sscc:
        data["sscc"] = asdict(config.sscc)
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
