"""MQTT packet framing and the chaos proxy's PUBLISH reordering, fed with bytes."""
import random

import pytest

from deploy.mqtt_reorder import PacketReorderer, split_packets


def publish(n: int, size: int = 5) -> bytes:
    """A QoS 1 PUBLISH packet whose body is `size` bytes of the digit n."""
    return bytes([0x32, size]) + str(n).encode() * size


PINGREQ = b"\xc0\x00"


class FakeTimers:
    def __init__(self):
        self.pending = []

    def call_later(self, delay, fn):
        timer = FakeTimer(fn)
        self.pending.append(timer)
        return timer


class FakeTimer:
    def __init__(self, fn):
        self.fn, self.cancelled = fn, False

    def cancel(self):
        self.cancelled = True


def test_split_packets_returns_whole_packets_and_keeps_the_rest():
    long_body = b"x" * 200  # a two-byte remaining length (200 = 0xC8 0x01)
    long_packet = b"\x30\xc8\x01" + long_body
    stream = publish(1) + PINGREQ + long_packet
    assert split_packets(stream) == ([publish(1), PINGREQ, long_packet], b"")
    assert split_packets(stream[:-10]) == ([publish(1), PINGREQ], long_packet[:-10])
    assert split_packets(b"\x30") == ([], b"\x30")


def test_split_packets_refuses_a_remaining_length_longer_than_four_bytes():
    with pytest.raises(ValueError):
        split_packets(b"\x30\xff\xff\xff\xff\x01")


def test_disabled_reorderer_passes_packets_in_order_even_when_split_across_reads():
    written, timers = [], FakeTimers()
    reorderer = PacketReorderer(written.append, timers.call_later, random.Random(1))
    stream = b"".join(publish(n) for n in range(5)) + PINGREQ
    for i in range(0, len(stream), 3):
        reorderer.feed(stream[i:i + 3])
    assert b"".join(written) == stream
    assert reorderer.reordered == 0


def test_enabled_reorderer_shuffles_publishes_and_lets_other_packets_through_at_once():
    written, timers = [], FakeTimers()
    reorderer = PacketReorderer(written.append, timers.call_later, random.Random(3), hold=4)
    reorderer.enabled = True
    reorderer.feed(publish(1) + publish(2) + PINGREQ + publish(3))
    assert written == [PINGREQ]  # held publishes wait; the ping does not
    reorderer.feed(publish(4))
    packets, rest = split_packets(b"".join(written[1:]))
    assert rest == b"" and sorted(packets) == [publish(n) for n in (1, 2, 3, 4)]
    assert packets != [publish(n) for n in (1, 2, 3, 4)] and reorderer.reordered > 0


def test_held_publishes_go_out_when_the_timer_fires_or_reordering_stops():
    written, timers = [], FakeTimers()
    reorderer = PacketReorderer(written.append, timers.call_later, random.Random(1), hold=5)
    reorderer.enabled = True
    reorderer.feed(publish(1))
    assert written == [] and len(timers.pending) == 1
    timers.pending[0].fn()
    assert written == [publish(1)]
    reorderer.feed(publish(2))
    reorderer.enabled = False
    reorderer.feed(publish(3))
    assert b"".join(written) == publish(1) + publish(2) + publish(3)
