"""Cut a byte stream into MQTT packets and, on demand, deliver PUBLISH packets out of order.

Used by the chaos proxy to reorder batches on the wire: the receiver then sees batch N+1 before
batch N for real, not just a late duplicate. Other packets (CONNECT, PUBACK, PINGREQ…) pass at
once; held PUBLISH packets go out shuffled when `hold` of them are waiting or after `max_wait`.
"""
import random
from typing import Callable

PUBLISH = 3


def split_packets(buffer: bytes) -> tuple[list[bytes], bytes]:
    """Return the complete MQTT packets at the start of `buffer` and the incomplete rest."""
    packets, pos = [], 0
    while pos + 2 <= len(buffer):
        length, multiplier, i = 0, 1, pos + 1
        while True:
            if i >= len(buffer):
                return packets, buffer[pos:]
            byte = buffer[i]
            length += (byte & 0x7F) * multiplier
            multiplier *= 128
            i += 1
            if not byte & 0x80:
                break
            if i - pos > 4:
                raise ValueError("malformed MQTT remaining length")
        end = i + length
        if end > len(buffer):
            break
        packets.append(buffer[pos:end])
        pos = end
    return packets, buffer[pos:]


class PacketReorderer:
    """One direction of one connection: frame packets; hold and shuffle PUBLISHes while enabled."""

    def __init__(self, write: Callable[[bytes], None], call_later: Callable, rng: random.Random,
                 hold: int = 3, max_wait: float = 0.3):
        self.write, self.call_later, self.rng = write, call_later, rng
        self.hold, self.max_wait = hold, max_wait
        self.enabled = False
        self.reordered = 0
        self._rest = b""
        self._held: list[bytes] = []
        self._timer = None

    def feed(self, data: bytes) -> None:
        """Take bytes read from one side; write whole packets to the other, in a shuffled order if enabled."""
        packets, self._rest = split_packets(self._rest + data)
        if self._held and not self.enabled:
            self.flush()  # reordering just ended: what was held goes first
        passing = []
        for packet in packets:
            if self.enabled and packet[0] >> 4 == PUBLISH:
                self._held.append(packet)
            else:
                passing.append(packet)
        if passing:
            self.write(b"".join(passing))
        if len(self._held) >= self.hold:
            self.flush()
        elif self._held and self._timer is None:
            self._timer = self.call_later(self.max_wait, self.flush)

    def flush(self) -> None:
        """Send every held PUBLISH now, shuffled."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._held:
            return
        original, self._held = self._held, []
        held = list(original)
        self.rng.shuffle(held)
        self.reordered += sum(1 for a, b in zip(original, held) if a is not b)  # packets off their place
        self.write(b"".join(held))
