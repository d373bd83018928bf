"""A small ZPL II emitter: explicit ^CI28/^PW/^LL, ^FH\\ escaping of all text, barcodes sized and checked."""
from .element_strings import (DATAMATRIX_ESCAPE, START_B, Element, code128_codewords, code128_data,
                              datamatrix_data, ordered)
from .errors import LabelError
from .layout import LabelSize, PrinterResolution

HEX_INDICATOR = "\\"  # not '_', which is the ^BX escape character
QUIET_ZONE_MODULES = 10
CODE128_STOP_MODULES = 13
PLAIN_CODE128 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-./ +%$:")


def escape_field_data(text: str) -> str:
    """Return text safe inside ^FH\\^FD...^FS: ^ ~ \\ and control characters become \\hh hex bytes."""
    out = []
    for char in text:
        if char in "^~\\" or ord(char) < 32 or ord(char) == 127:
            out.append(f"{HEX_INDICATOR}{ord(char):02X}")
        else:
            out.append(char)
    return "".join(out)


class ZplLabel:
    """Build one ^XA...^XZ label; positions and sizes are given in millimetres."""

    def __init__(self, size: LabelSize, resolution: PrinterResolution):
        self.size, self.resolution = size, resolution
        self._fields: list[str] = []

    @property
    def width_dots(self) -> int:
        return self.resolution.whole_dots(self.size.width_mm)

    def _at(self, x_mm: float, y_mm: float) -> str:
        return f"^FO{self.resolution.dots(x_mm)},{self.resolution.dots(y_mm)}"

    def text(self, x_mm: float, y_mm: float, text: str, height_mm: float = 3.5, max_chars: int = 0) -> "ZplLabel":
        """Add one line of UTF-8 text in the scalable font, cut to max_chars when given."""
        if max_chars and len(text) > max_chars:
            text = text[:max_chars - 3] + "..."
        dots = self.resolution.dots(height_mm)
        self._fields.append(f"{self._at(x_mm, y_mm)}^A0N,{dots},{dots}^FH{HEX_INDICATOR}"
                            f"^FD{escape_field_data(text)}^FS")
        return self

    def line(self, y_mm: float, thickness_mm: float = 0.5) -> "ZplLabel":
        """Add a full-width horizontal rule."""
        self._fields.append(f"{self._at(0, y_mm)}^GB{self.width_dots},{self.resolution.dots(thickness_mm)},"
                            f"{self.resolution.dots(thickness_mm)}^FS")
        return self

    def gs1_128(self, y_mm: float, elements: list[Element], height_mm: float, module_mm: float = 0.5,
                min_module_mm: float = 0.25) -> "ZplLabel":
        """Add a centred GS1-128 barcode (mode N, our own FNC1s); HRI is printed separately by the caller."""
        data = code128_data(ordered(elements))
        self._barcode128(y_mm, data, code128_codewords(data), height_mm, module_mm, min_module_mm)
        return self

    def code128(self, y_mm: float, value: str, height_mm: float, module_mm: float = 0.5) -> "ZplLabel":
        """Add a centred plain Code 128 (subset B) barcode, e.g. a location label."""
        if not value or not set(value) <= PLAIN_CODE128:
            raise LabelError(f"{value!r} cannot go in a plain barcode: use letters, digits and - . / only.")
        data = START_B + value
        self._barcode128(y_mm, data, len(value) + 2, height_mm, module_mm, 0.25)
        return self

    def _barcode128(self, y_mm: float, data: str, codewords: int, height_mm: float, module_mm: float,
                    min_module_mm: float) -> None:
        modules = codewords * 11 + CODE128_STOP_MODULES + 2 * QUIET_ZONE_MODULES
        module = min(self.resolution.dots(module_mm), self.width_dots // modules)
        if module < max(2, self.resolution.dots(min_module_mm)):
            raise LabelError(f"The barcode for {data!r} is too wide for a {self.size.width_mm} mm label.")
        x = (self.width_dots - (modules - 2 * QUIET_ZONE_MODULES) * module) // 2
        self._fields.append(f"^FO{x},{self.resolution.dots(y_mm)}^BY{module}"
                            f"^BCN,{self.resolution.dots(height_mm)},N,N,N^FD{data}^FS")

    def gs1_datamatrix(self, x_mm: float, y_mm: float, elements: list[Element], module_mm: float = 0.75) -> "ZplLabel":
        """Add a GS1 DataMatrix (ECC 200) with an explicit '_' escape character."""
        data = datamatrix_data(ordered(elements))
        module = max(2, self.resolution.dots(module_mm))
        self._fields.append(f"{self._at(x_mm, y_mm)}^BXN,{module},200,,,,{DATAMATRIX_ESCAPE}^FD{data}^FS")
        return self

    def render(self) -> str:
        """Return the complete ZPL for this label."""
        header = ["^XA", "^CI28", f"^PW{self.width_dots}", f"^LL{self.resolution.whole_dots(self.size.height_mm)}",
                  "^LH0,0"]
        return "\n".join(header + self._fields + ["^XZ"]) + "\n"
