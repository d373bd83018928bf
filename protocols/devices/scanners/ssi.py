"""Zebra SSI (Simple Serial Interface) packets: encode, decode, checksum, and a framer fed bytes in any split.

A packet is: length, opcode, source, status, data..., checksum high, checksum low. `length` counts every byte
before the checksum (4 + len(data)); the checksum is 0x10000 minus the sum of those bytes, big-endian.
"""
from dataclasses import dataclass
from enum import IntEnum

HEADER_LENGTH = 4
MAX_PACKET_LENGTH = 0xFF
MAX_DATA_LENGTH = MAX_PACKET_LENGTH - HEADER_LENGTH

STATUS_RETRANSMIT = 0x01     # bit 0: this is a resend of a packet the receiver may already have
STATUS_CONTINUATION = 0x02   # bit 1: more packets of this message follow (multipacket DECODE_DATA)
STATUS_PERMANENT = 0x08      # bit 3: PARAM_SEND change type, 1 = permanent, 0 = until power off


class Opcode(IntEnum):
    """SSI opcodes this codebase sends or understands."""

    REQUEST_REVISION = 0xA3
    REPLY_REVISION = 0xA4
    PARAM_SEND = 0xC6
    PARAM_REQUEST = 0xC7
    PARAM_DEFAULTS = 0xC8
    CMD_ACK = 0xD0
    CMD_NAK = 0xD1
    START_SESSION = 0xE4
    STOP_SESSION = 0xE5
    BEEP = 0xE6
    LED_ON = 0xE7
    LED_OFF = 0xE8
    SCAN_ENABLE = 0xE9
    SCAN_DISABLE = 0xEA
    DECODE_DATA = 0xF3
    EVENT = 0xF6


class Source(IntEnum):
    """Who sent a packet."""

    DECODER = 0x00
    HOST = 0x04


class NakCause(IntEnum):
    """Why a receiver refused a packet (the one data byte of CMD_NAK)."""

    RESEND = 0x01        # checksum failure: send the same packet again, retransmit bit set
    BAD_CONTEXT = 0x02   # unexpected or unknown message
    DENIED = 0x06        # understood but refused (e.g. a bad parameter value)


class CodeType(IntEnum):
    """SSI bar code types (first byte of DECODE_DATA) that map to an AIM identifier."""

    CODE39 = 0x01
    CODE128 = 0x03
    I2OF5 = 0x06
    UPCA = 0x08
    EAN8 = 0x0A
    EAN13 = 0x0B
    GS1_128 = 0x0F
    PDF417 = 0x11
    DATAMATRIX = 0x1B
    QR = 0x1C
    GS1_DATABAR = 0x30
    GS1_DATABAR_LIMITED = 0x31
    GS1_DATABAR_EXPANDED = 0x32
    GS1_DATAMATRIX = 0xC1
    GS1_QR = 0xC2


# Used only when the scanner does not send AIM ids itself (profile "zebra-ssi" turns them on).
AIM_BY_CODE_TYPE = {
    CodeType.CODE39: "]A0", CodeType.CODE128: "]C0", CodeType.I2OF5: "]I0", CodeType.UPCA: "]E0",
    CodeType.EAN8: "]E4", CodeType.EAN13: "]E0", CodeType.GS1_128: "]C1", CodeType.PDF417: "]L2",
    CodeType.DATAMATRIX: "]d1", CodeType.QR: "]Q1", CodeType.GS1_DATABAR: "]e0",
    CodeType.GS1_DATABAR_LIMITED: "]e0", CodeType.GS1_DATABAR_EXPANDED: "]e0",
    CodeType.GS1_DATAMATRIX: "]d2", CodeType.GS1_QR: "]Q3",
}


class SsiError(ValueError):
    """Raise when bytes are not a valid SSI packet; str(err) says which check failed."""


def checksum(body: bytes) -> int:
    """Return the SSI checksum of the bytes before it: 0x10000 minus their sum, in 16 bits."""
    return (0x10000 - sum(body)) & 0xFFFF


@dataclass(frozen=True)
class Packet:
    """One SSI packet (without its length and checksum, which encode() computes)."""

    opcode: int
    source: int = Source.HOST
    status: int = 0
    data: bytes = b""

    def __post_init__(self):
        if len(self.data) > MAX_DATA_LENGTH:
            raise SsiError(f"SSI data is {len(self.data)} bytes; at most {MAX_DATA_LENGTH} fit in one packet")

    @property
    def retransmit(self) -> bool:
        return bool(self.status & STATUS_RETRANSMIT)

    @property
    def continuation(self) -> bool:
        return bool(self.status & STATUS_CONTINUATION)

    def encode(self) -> bytes:
        """Return the packet's bytes on the wire, checksum included."""
        body = bytes((HEADER_LENGTH + len(self.data), self.opcode, self.source, self.status)) + self.data
        return body + checksum(body).to_bytes(2, "big")

    def as_retransmission(self) -> "Packet":
        """Return the same packet with the retransmit bit set."""
        return Packet(self.opcode, self.source, self.status | STATUS_RETRANSMIT, self.data)

    @classmethod
    def decode(cls, frame: bytes) -> "Packet":
        """Parse one whole packet (length byte through checksum) or raise SsiError."""
        if len(frame) < HEADER_LENGTH + 2:
            raise SsiError(f"an SSI packet has at least 6 bytes, got {len(frame)}")
        if frame[0] < HEADER_LENGTH or frame[0] + 2 != len(frame):
            raise SsiError(f"length byte {frame[0]} does not match a {len(frame)}-byte packet")
        body, expected = frame[:-2], int.from_bytes(frame[-2:], "big")
        if checksum(body) != expected:
            raise SsiError(f"checksum {expected:04X} is wrong, the bytes sum to checksum {checksum(body):04X}")
        return cls(body[1], body[2], body[3], bytes(body[4:]))


def ack(source: int = Source.HOST) -> bytes:
    """Return a CMD_ACK packet."""
    return Packet(Opcode.CMD_ACK, source).encode()


def nak(cause: NakCause, source: int = Source.HOST) -> bytes:
    """Return a CMD_NAK packet with its cause byte."""
    return Packet(Opcode.CMD_NAK, source, data=bytes((cause,))).encode()


def param_send(params: dict[int, int], permanent: bool = False, beep: int = 0xFF) -> Packet:
    """Build PARAM_SEND for one-byte parameter numbers (0x00-0xEF); beep 0xFF means no beep."""
    data = bytearray((beep,))
    for number, value in params.items():
        if not (0 <= number < 0xF0 and 0 <= value <= 0xFF):
            raise SsiError(f"parameter {number:#x}={value:#x} is outside the one-byte parameter range")
        data += bytes((number, value))
    return Packet(Opcode.PARAM_SEND, Source.HOST, STATUS_PERMANENT if permanent else 0, bytes(data))


def decode_data_packets(code_type: int, data: bytes, chunk: int = MAX_DATA_LENGTH - 1) -> list[Packet]:
    """Split one decode into DECODE_DATA packets from the decoder; every packet repeats the code type."""
    if not 1 <= chunk <= MAX_DATA_LENGTH - 1:
        raise SsiError(f"chunk must be 1..{MAX_DATA_LENGTH - 1} bytes")
    pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)] or [b""]
    return [Packet(Opcode.DECODE_DATA, Source.DECODER, STATUS_CONTINUATION if i < len(pieces) - 1 else 0,
                   bytes((code_type,)) + piece) for i, piece in enumerate(pieces)]


@dataclass(frozen=True)
class BadPacket:
    """Bytes the framer could not accept; the host answers NAK RESEND."""

    raw: bytes
    reason: str


class SsiFramer:
    """Cut a byte stream into SSI packets; fed in any split, it yields Packet or BadPacket items."""

    def __init__(self):
        self._buffer = bytearray()

    @property
    def pending(self) -> int:
        """Say how many bytes of an unfinished packet are buffered."""
        return len(self._buffer)

    def reset(self) -> bytes:
        """Drop a half-received packet (after an idle gap or a reconnect) and return its bytes."""
        dropped, self._buffer = bytes(self._buffer), bytearray()
        return dropped

    def feed(self, data: bytes) -> list[Packet | BadPacket]:
        self._buffer.extend(data)
        items: list[Packet | BadPacket] = []
        while self._buffer:
            length = self._buffer[0]
            if length < HEADER_LENGTH:  # cannot start a packet: skip one byte to find the next length byte
                items.append(BadPacket(bytes(self._buffer[:1]), f"length byte {length} is below {HEADER_LENGTH}"))
                del self._buffer[:1]
                continue
            if len(self._buffer) < length + 2:
                break
            frame = bytes(self._buffer[:length + 2])
            del self._buffer[:length + 2]
            try:
                items.append(Packet.decode(frame))
            except SsiError as err:  # drop the whole packet: the sender resends it after our NAK
                items.append(BadPacket(frame, str(err)))
        return items
