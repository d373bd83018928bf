"""Pure byte-stream splitters: ZPL formats and ~ commands from a print stream, STX...ETX status frames."""
from dataclasses import dataclass

STX, ETX = b"\x02", b"\x03"


@dataclass(frozen=True)
class ZplFormat:
    """One complete ^XA...^XZ label format, bytes included."""

    data: bytes


@dataclass(frozen=True)
class ZplControl:
    """One control command outside a format, e.g. b'~HS' or b'~HQES'."""

    command: bytes


CONTROL_COMMANDS = (b"~HQES", b"~HS", b"~JA", b"~PS", b"~JR")


class ZplStreamSplitter:
    """Split a ZPL byte stream, fed in any chunks, into formats and control commands."""

    def __init__(self) -> None:
        self._buffer = b""

    @property
    def partial(self) -> bool:
        """Say whether an ^XA format was started but not yet ended (the ~HS 'partial format' flag)."""
        return b"^XA" in self._buffer

    def feed(self, data: bytes) -> list[ZplFormat | ZplControl]:
        """Consume bytes and return every complete format or control command they finish."""
        self._buffer += data
        out: list[ZplFormat | ZplControl] = []
        while True:
            start = self._buffer.find(b"^XA")
            tilde = self._buffer.find(b"~")
            if tilde != -1 and (start == -1 or tilde < start):
                command = next((c for c in CONTROL_COMMANDS if self._buffer.startswith(c, tilde)), None)
                if command is None:
                    if len(self._buffer) - tilde < max(map(len, CONTROL_COMMANDS)):
                        return out  # may be the start of a command split across chunks
                    self._buffer = self._buffer[tilde + 1:]
                    continue
                out.append(ZplControl(command))
                self._buffer = self._buffer[tilde + len(command):]
                continue
            if start == -1:
                self._buffer = self._buffer[-2:] if self._buffer.endswith((b"^", b"^X")) else b""
                return out
            end = self._buffer.find(b"^XZ", start)
            if end == -1:
                self._buffer = self._buffer[start:]
                return out
            out.append(ZplFormat(self._buffer[start:end + 3]))
            self._buffer = self._buffer[end + 3:]


class StxEtxFramer:
    """Collect STX...ETX frames from a status reply fed in any chunks (CR LF between frames is dropped)."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[bytes]:
        """Consume bytes and return the payloads of every frame they complete."""
        self._buffer += data
        frames = []
        while True:
            start = self._buffer.find(STX)
            if start == -1:
                self._buffer = b""
                return frames
            end = self._buffer.find(ETX, start + 1)
            if end == -1:
                self._buffer = self._buffer[start:]
                return frames
            frames.append(self._buffer[start + 1:end])
            self._buffer = self._buffer[end + 1:]
