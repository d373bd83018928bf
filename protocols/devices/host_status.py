"""Parse Zebra status replies: ~HS (three STX...ETX strings) and ~HQES (hex error/warning bitmasks)."""
import re
from dataclasses import dataclass

from .zpl_stream import StxEtxFramer


class StatusParseError(ValueError):
    """Raise when a status reply is not in the documented format; str(err) says what was wrong."""


@dataclass(frozen=True)
class HostStatus:
    """The fields of ~HS that decide whether a job can print."""

    paper_out: bool
    paused: bool
    label_length_dots: int
    formats_in_buffer: int
    buffer_full: bool
    partial_format: bool
    corrupt_ram: bool
    under_temperature: bool
    over_temperature: bool
    head_up: bool
    ribbon_out: bool
    thermal_transfer: bool
    print_mode: str
    labels_remaining: int

    @property
    def problems(self) -> list[str]:
        """Return operator words for every condition that stops printing."""
        flags = [("paper out", self.paper_out), ("head open", self.head_up), ("ribbon out", self.ribbon_out),
                 ("paused", self.paused), ("buffer full", self.buffer_full), ("corrupt RAM", self.corrupt_ram),
                 ("head too cold", self.under_temperature), ("head too hot", self.over_temperature)]
        return [name for name, on in flags if on]

    @property
    def ready(self) -> bool:
        return not self.problems


def parse_hs(reply: bytes) -> HostStatus:
    """Parse the three ~HS strings (<STX>...<ETX><CR><LF> x3) into a HostStatus."""
    frames = StxEtxFramer().feed(reply)
    if len(frames) < 2:
        raise StatusParseError(f"~HS reply has {len(frames)} of 3 status strings: {reply[:80]!r}")
    one, two = (frame.decode("ascii", errors="replace").split(",") for frame in frames[:2])
    if len(one) != 12 or len(two) != 11:
        raise StatusParseError(f"~HS strings have {len(one)} and {len(two)} fields, expected 12 and 11.")
    try:
        return HostStatus(
            paper_out=_flag(one[1]), paused=_flag(one[2]), label_length_dots=int(one[3]),
            formats_in_buffer=int(one[4]), buffer_full=_flag(one[5]), partial_format=_flag(one[7]),
            corrupt_ram=_flag(one[9]), under_temperature=_flag(one[10]), over_temperature=_flag(one[11]),
            head_up=_flag(two[2]), ribbon_out=_flag(two[3]), thermal_transfer=_flag(two[4]),
            print_mode=two[5], labels_remaining=int(two[8]))
    except ValueError as err:
        raise StatusParseError(f"~HS field is not a number: {err}") from None


def _flag(field: str) -> bool:
    if field not in ("0", "1"):
        raise StatusParseError(f"~HS flag field {field!r} is not 0 or 1.")
    return field == "1"


ERROR_BITS = {  # (nibble index from the right, bit value) -> meaning, from Zebra's ~HQES flag table
    (1, 1): "media out", (1, 2): "ribbon out", (1, 4): "head open", (1, 8): "cutter fault",
    (2, 1): "head over temperature", (2, 2): "motor over temperature", (2, 4): "bad printhead element",
    (2, 8): "head detection error", (3, 1): "invalid firmware config", (3, 2): "printhead thermistor open",
}
WARNING_BITS = {(1, 1): "need to calibrate media", (1, 2): "clean printhead", (1, 4): "replace printhead",
                (1, 8): "paper near end"}
HQES_LINE = re.compile(rb"(ERRORS|WARNINGS):\s+([01])\s+([0-9A-Fa-f]{8})\s+([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class PrinterFlags:
    """Errors and warnings from ~HQES, every set bit named (several can be set per nibble)."""

    errors: frozenset[str]
    warnings: frozenset[str]

    @property
    def ready(self) -> bool:
        return not self.errors


def parse_hqes(reply: bytes) -> PrinterFlags:
    """Parse a ~HQES reply ('ERRORS: 1 00000000 00000005' ...) into named flags."""
    found = {m.group(1): m for m in HQES_LINE.finditer(reply)}
    if set(found) != {b"ERRORS", b"WARNINGS"}:
        raise StatusParseError(f"~HQES reply lacks an ERRORS or WARNINGS line: {reply[:80]!r}")
    return PrinterFlags(_named(found[b"ERRORS"], ERROR_BITS), _named(found[b"WARNINGS"], WARNING_BITS))


def _named(match: re.Match, table: dict[tuple[int, int], str]) -> frozenset[str]:
    if match.group(2) == b"0":
        return frozenset()
    group1 = int(match.group(4), 16)
    names = {name for (nibble, bit), name in table.items() if (group1 >> (4 * (nibble - 1))) & bit}
    unknown = group1 & ~sum(bit << (4 * (nibble - 1)) for nibble, bit in table)
    if unknown or int(match.group(3), 16):
        names.add(f"other ({match.group(3).decode()} {match.group(4).decode()})")
    return frozenset(names)
