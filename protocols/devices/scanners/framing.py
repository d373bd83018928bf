"""Scan framing shared by every scanner link: what a scan frame is, and prefix/suffix line framing."""
from dataclasses import dataclass, field

from protocols.barcode.symbology import AIM_PREFIX

DEFAULT_SUFFIXES = (b"\r\n", b"\r", b"\n")


@dataclass(frozen=True)
class ScanFrame:
    """One scan as the scanner sent it: raw bytes, and text (AIM id first when known) for classify()."""

    raw: bytes
    text: str

    @property
    def has_aim_id(self) -> bool:
        return bool(AIM_PREFIX.match(self.text))


@dataclass
class ScannerStep:
    """What a codec made of some input: bytes to send back, finished scans, and problems to log."""

    replies: list[bytes] = field(default_factory=list)
    frames: list[ScanFrame] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def extend(self, other: "ScannerStep") -> None:
        self.replies += other.replies
        self.frames += other.frames
        self.problems += other.problems


class AffixFramer:
    """Cut a byte stream into scans between an optional prefix and a suffix (CR LF, CR or LF by default).

    Bytes before a configured prefix are noise (a scanner woken mid-frame, line garbage) and are dropped
    with a problem report rather than glued onto the next scan.
    """

    def __init__(self, prefix: bytes = b"", suffixes: tuple[bytes, ...] = DEFAULT_SUFFIXES,
                 encoding: str = "utf-8", max_length: int = 4096):
        if not suffixes or not all(suffixes):
            raise ValueError("a scanner link needs at least one non-empty suffix")
        self.prefix, self.encoding, self.max_length = prefix, encoding, max_length
        # Longest first, so CR LF wins over CR when both end at the same place.
        self.suffixes = tuple(sorted(suffixes, key=len, reverse=True))
        self._buffer = bytearray()

    def reset(self) -> bytes:
        """Drop an unfinished scan (after a reconnect) and return its bytes."""
        dropped, self._buffer = bytes(self._buffer), bytearray()
        return dropped

    def feed(self, data: bytes) -> ScannerStep:
        self._buffer.extend(data)
        step = ScannerStep()
        while True:
            end, suffix = self._find_suffix()
            if end < 0:
                break
            frame = bytes(self._buffer[:end])
            del self._buffer[:end + len(suffix)]
            if frame:
                self._emit(frame, step)
        if len(self._buffer) > self.max_length:  # no suffix configured on the scanner: do not grow forever
            step.problems.append(f"dropped {len(self._buffer)} bytes with no scan suffix")
            self._buffer.clear()
        return step

    def _find_suffix(self) -> tuple[int, bytes]:
        found = [(self._buffer.find(s), s) for s in self.suffixes]
        found = [(i, s) for i, s in found if i >= 0]
        if not found:
            return -1, b""
        first = min(i for i, _ in found)
        return first, next(s for i, s in found if i == first)

    def _emit(self, frame: bytes, step: ScannerStep) -> None:
        if self.prefix:
            at = frame.rfind(self.prefix)
            if at < 0:
                step.problems.append(f"dropped {frame!r}: it does not start with the prefix {self.prefix!r}")
                return
            if at > 0:
                step.problems.append(f"dropped {at} bytes of noise before the prefix: {frame[:at]!r}")
            frame = frame[at + len(self.prefix):]
        if frame:
            step.frames.append(ScanFrame(frame, frame.decode(self.encoding, errors="replace")))


class LineCodec:
    """Codec for scanners that just send framed text: nothing is ever answered."""

    def __init__(self, prefix: bytes = b"", suffixes: tuple[bytes, ...] = DEFAULT_SUFFIXES,
                 encoding: str = "utf-8"):
        self.framer = AffixFramer(prefix, suffixes, encoding)

    def receive(self, data: bytes, now: float) -> ScannerStep:
        return self.framer.feed(data)

    def poll(self, now: float) -> ScannerStep:
        return ScannerStep()

    def reset(self) -> None:
        self.framer.reset()
