"""A fake Zebra decoder in SSI mode on the controller side of a pty: real packets, real ACK/NAK rules."""
import os
import select
import time

from protocols.devices.scanners.ssi import (BadPacket, NakCause, Opcode, Packet, Source, SsiFramer,
                                            decode_data_packets)


class FakeSsiScanner:
    """Send DECODE_DATA and wait for the host's ACK; resend on silence or NAK; NAK host packets with bad checksums."""

    def __init__(self, controller_fd: int, ack_timeout: float = 0.3, attempts: int = 3):
        self.fd, self.ack_timeout, self.attempts = controller_fd, ack_timeout, attempts
        self.framer = SsiFramer()
        self.sent: list[bytes] = []              # every packet written, retransmissions included
        self.from_host: list[Packet] = []        # every well-formed packet the host sent
        self.ignore_acks = 0                     # pretend this many ACKs were lost on the line
        self.corrupt_next = 0                    # garble the checksum of this many outgoing packets
        self._inbox: list[Packet | BadPacket] = []

    def emit(self, code_type: int, data: bytes, chunk: int = 250) -> bool:
        """Send one decode (several packets if long); return True once every packet was ACKed."""
        return all(self._send_until_acked(p) for p in decode_data_packets(code_type, data, chunk))

    def serve(self, seconds: float) -> None:
        """Answer host commands for a while: ACK good ones, NAK RESEND the ones with a bad checksum."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            item = self._next(deadline - time.monotonic())
            if item is not None:
                self._answer(item)

    def _send_until_acked(self, packet: Packet) -> bool:
        for attempt in range(self.attempts):
            self._write(packet if attempt == 0 else packet.as_retransmission())
            deadline = time.monotonic() + self.ack_timeout
            while (item := self._next(deadline - time.monotonic())) is not None:
                if isinstance(item, Packet) and item.opcode == Opcode.CMD_ACK:
                    if self.ignore_acks:
                        self.ignore_acks -= 1
                        continue
                    return True
                if isinstance(item, Packet) and item.opcode == Opcode.CMD_NAK:
                    break  # resend at once
                self._answer(item)
        return False

    def _answer(self, item: Packet | BadPacket) -> None:
        if isinstance(item, BadPacket):
            self._reply(Packet(Opcode.CMD_NAK, Source.DECODER, data=bytes((NakCause.RESEND,))))
        elif item.opcode not in (Opcode.CMD_ACK, Opcode.CMD_NAK):
            self._reply(Packet(Opcode.CMD_ACK, Source.DECODER))

    def _reply(self, packet: Packet) -> None:
        os.write(self.fd, packet.encode())

    def _write(self, packet: Packet) -> None:
        wire = bytearray(packet.encode())
        if self.corrupt_next:
            self.corrupt_next -= 1
            wire[-1] ^= 0xFF
        self.sent.append(bytes(wire))
        os.write(self.fd, bytes(wire))

    def _next(self, timeout: float) -> Packet | BadPacket | None:
        deadline = time.monotonic() + max(0.0, timeout)
        while not self._inbox:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return None
            self._inbox += self.framer.feed(os.read(self.fd, 1024))
        item = self._inbox.pop(0)
        if isinstance(item, Packet):
            self.from_host.append(item)
        return item
