"""Label geometry: printer resolution and label size, converted to printer dots."""
from dataclasses import dataclass

from .errors import LabelError

DOTS_PER_MM = {203: 8, 300: 12, 600: 24}


@dataclass(frozen=True)
class PrinterResolution:
    """A printhead resolution; ZPL positions and sizes are in its dots."""

    dpi: int = 203

    def __post_init__(self) -> None:
        if self.dpi not in DOTS_PER_MM:
            raise LabelError(f"Printer resolution {self.dpi} dpi is not supported; use 203, 300 or 600.")

    @property
    def dpmm(self) -> int:
        return DOTS_PER_MM[self.dpi]

    def dots(self, mm: float) -> int:
        """Return the whole number of dots nearest to a length in millimetres."""
        return round(mm * self.dpmm)

    def whole_dots(self, mm: float) -> int:
        """Return the dots that fit entirely inside a length (for label width and length)."""
        return int(mm * self.dpmm + 1e-9)


@dataclass(frozen=True)
class LabelSize:
    """Label stock size in millimetres (4 x 6 in = 101.6 x 152.4)."""

    width_mm: float = 101.6
    height_mm: float = 152.4

    def __post_init__(self) -> None:
        if not (20 <= self.width_mm <= 220 and 10 <= self.height_mm <= 1000):
            raise LabelError(f"Label size {self.width_mm} x {self.height_mm} mm is outside what printers take.")

    def require_at_least(self, width_mm: float, height_mm: float, what: str) -> None:
        """Raise LabelError when the stock is too small for a template."""
        if self.width_mm < width_mm or self.height_mm < height_mm:
            raise LabelError(f"A {what} needs at least {width_mm} x {height_mm} mm label stock, "
                             f"this printer has {self.width_mm} x {self.height_mm} mm.")


FOUR_BY_SIX = LabelSize(101.6, 152.4)
FOUR_BY_TWO = LabelSize(101.6, 50.8)
