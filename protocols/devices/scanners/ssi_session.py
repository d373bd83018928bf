"""The host side of an SSI link, sans I/O: answer ACK/NAK, reassemble DECODE_DATA, retry our own commands."""
import logging
from dataclasses import dataclass

from protocols.barcode.symbology import AIM_PREFIX

from .framing import ScanFrame, ScannerStep
from .ssi import AIM_BY_CODE_TYPE, BadPacket, NakCause, Opcode, Packet, SsiFramer, ack, nak

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecodedScan:
    """One whole decode: the SSI code type and the data bytes of every packet joined."""

    code_type: int
    data: bytes

    def frame(self, encoding: str = "utf-8") -> ScanFrame:
        """Return the scan with an AIM id in front: the scanner's own, else one derived from the code type."""
        text = self.data.decode(encoding, errors="replace")
        if not AIM_PREFIX.match(text):
            text = AIM_BY_CODE_TYPE.get(self.code_type, "") + text
        return ScanFrame(self.data, text)


@dataclass
class _Pending:
    packet: Packet
    sent_at: float
    attempts: int = 1


class SsiHostSession:
    """Speak SSI as the host: every decoder packet is ACKed or NAKed; one command of ours is in flight at a time."""

    def __init__(self, ack_timeout: float = 1.0, max_attempts: int = 3, encoding: str = "utf-8"):
        self.ack_timeout, self.max_attempts, self.encoding = ack_timeout, max_attempts, encoding
        self.framer = SsiFramer()
        self.acked: list[int] = []  # opcodes of our commands the decoder accepted, for callers that wait on them
        self._pending: _Pending | None = None
        self._parts: list[bytes] = []
        self._last_decode: Packet | None = None

    @property
    def busy(self) -> bool:
        """Say whether a command of ours still waits for its ACK."""
        return self._pending is not None

    def reset(self) -> None:
        """Forget half-received data and any command in flight (after a reconnect)."""
        self.framer.reset()
        self._parts, self._last_decode, self._pending = [], None, None

    def send(self, packet: Packet, now: float) -> bytes:
        """Return the bytes of a command to the decoder and wait for its ACK; refuse while one is in flight."""
        if self._pending is not None:
            raise RuntimeError(f"SSI command {self._pending.packet.opcode:#04x} still waits for its ACK")
        self._pending = _Pending(packet, now)
        return packet.encode()

    def receive(self, data: bytes, now: float) -> ScannerStep:
        step = ScannerStep()
        for item in self.framer.feed(data):
            if isinstance(item, BadPacket):
                step.problems.append(f"NAK resend: {item.reason}")
                step.replies.append(nak(NakCause.RESEND))
            elif item.opcode == Opcode.CMD_ACK:
                self._on_ack(step)
            elif item.opcode == Opcode.CMD_NAK:
                self._on_nak(item, now, step)
            elif item.opcode == Opcode.DECODE_DATA:
                self._on_decode(item, step)
            else:
                step.replies.append(ack())
                step.problems.append(f"ignored SSI opcode {item.opcode:#04x} from the decoder")
        return step

    def poll(self, now: float) -> ScannerStep:
        """Resend our command when its ACK is overdue; give up after max_attempts."""
        step = ScannerStep()
        pending = self._pending
        if pending is not None and now - pending.sent_at >= self.ack_timeout:
            self._retry(pending, now, step, "no ACK")
        return step

    def _on_ack(self, step: ScannerStep) -> None:
        if self._pending is None:
            step.problems.append("ACK with no command in flight")
            return
        self.acked.append(self._pending.packet.opcode)
        self._pending = None

    def _on_nak(self, packet: Packet, now: float, step: ScannerStep) -> None:
        pending = self._pending
        cause = packet.data[0] if packet.data else None
        if pending is None:
            step.problems.append(f"NAK (cause {cause}) with no command in flight")
        elif cause == NakCause.RESEND:
            self._retry(pending, now, step, "NAK resend")
        else:
            name = NakCause(cause).name if cause in NakCause._value2member_map_ else f"cause {cause}"
            step.problems.append(f"decoder refused opcode {pending.packet.opcode:#04x}: NAK {name}")
            self._pending = None

    def _retry(self, pending: _Pending, now: float, step: ScannerStep, why: str) -> None:
        if pending.attempts >= self.max_attempts:
            step.problems.append(f"gave up on opcode {pending.packet.opcode:#04x} after {pending.attempts} "
                                 f"attempts ({why})")
            self._pending = None
            return
        pending.attempts, pending.sent_at = pending.attempts + 1, now
        step.replies.append(pending.packet.as_retransmission().encode())

    def _on_decode(self, packet: Packet, step: ScannerStep) -> None:
        step.replies.append(ack())
        if not packet.data:
            step.problems.append("DECODE_DATA without a code type byte")
            return
        last = self._last_decode
        if packet.retransmit and last is not None and (last.data, last.status | 1) == (packet.data, packet.status):
            return  # our ACK was lost and the decoder resent: ACK again, but do not deliver the scan twice
        self._last_decode = packet
        self._parts.append(packet.data[1:])
        if packet.continuation:
            return
        scan = DecodedScan(packet.data[0], b"".join(self._parts))
        self._parts = []
        step.frames.append(scan.frame(self.encoding))
