"""Zebra SSI codec against byte vectors, the framer fed in random splits, and the host session's ACK/NAK rules."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocols.devices.scanners.ssi import (BadPacket, CodeType, NakCause, Opcode, Packet, Source, SsiError,
                                            SsiFramer, ack, checksum, decode_data_packets, nak, param_send)
from protocols.devices.scanners.ssi_session import SsiHostSession

GS1_MUG = b"010501234567890010LOT42\x1d17261231"


@pytest.mark.parametrize("packet, wire", [
    (Packet(Opcode.PARAM_DEFAULTS, Source.HOST), "04 c8 04 00 ff 30"),
    (Packet(Opcode.CMD_ACK, Source.DECODER), "04 d0 00 00 ff 2c"),
    (Packet(Opcode.CMD_ACK, Source.HOST), "04 d0 04 00 ff 28"),
    (Packet(Opcode.SCAN_ENABLE, Source.HOST), "04 e9 04 00 ff 0f"),
    (Packet(Opcode.DECODE_DATA, Source.DECODER, 0, b"\x0b5012345678900"),
     "12 f3 00 00 0b 35 30 31 32 33 34 35 36 37 38 39 30 30 fc 4e"),
])
def test_packets_encode_to_known_bytes_and_back(packet, wire):
    assert packet.encode().hex(" ") == wire
    assert Packet.decode(bytes.fromhex(wire)) == packet


@pytest.mark.parametrize("cause, wire", [
    (NakCause.RESEND, "05 d1 04 00 01 ff 25"),
    (NakCause.BAD_CONTEXT, "05 d1 04 00 02 ff 24"),
    (NakCause.DENIED, "05 d1 04 00 06 ff 20"),
])
def test_nak_carries_its_cause(cause, wire):
    assert nak(cause).hex(" ") == wire
    assert Packet.decode(bytes.fromhex(wire)).data == bytes((cause,))


def test_checksum_is_two_complement_of_the_byte_sum():
    assert checksum(b"\x04\xc8\x04\x00") == 0xFF30
    assert (sum(b"\x04\xc8\x04\x00") + checksum(b"\x04\xc8\x04\x00")) & 0xFFFF == 0


def test_param_send_sets_permanent_bit_and_refuses_two_byte_numbers():
    assert param_send({0x2D: 1}, permanent=True).encode().hex(" ") == "07 c6 04 08 ff 2d 01 fd fa"
    assert param_send({0x2D: 1}).status == 0
    with pytest.raises(SsiError, match="one-byte"):
        param_send({0xF1: 1})


@pytest.mark.parametrize("wire, message", [
    ("04 c8 04 00 ff 31", "checksum FF31 is wrong"),
    ("05 c8 04 00 ff 30", "length byte 5"),
    ("04 c8 04", "at least 6 bytes"),
])
def test_decode_says_what_is_wrong(wire, message):
    with pytest.raises(SsiError, match=message):
        Packet.decode(bytes.fromhex(wire))


def test_data_longer_than_one_packet_is_refused():
    with pytest.raises(SsiError, match="at most 251"):
        Packet(Opcode.DECODE_DATA, data=bytes(252))


STREAM = [ack(Source.DECODER), *(p.encode() for p in decode_data_packets(CodeType.GS1_128, GS1_MUG * 12)),
          Packet(Opcode.CMD_NAK, Source.DECODER, data=b"\x01").encode()]


@given(st.lists(st.integers(min_value=0, max_value=sum(map(len, STREAM))), max_size=12))
def test_framer_gives_the_same_packets_for_any_split(cuts):
    wire = b"".join(STREAM)
    framer, items, last = SsiFramer(), [], 0
    for cut in sorted(cuts) + [len(wire)]:
        items += framer.feed(wire[last:cut])
        last = cut
    assert [p.encode() for p in items] == STREAM
    assert framer.pending == 0


def test_framer_drops_a_corrupt_packet_whole_and_skips_impossible_length_bytes():
    good, corrupt = ack(Source.DECODER), bytearray(Packet(Opcode.DECODE_DATA, Source.DECODER, 0, b"\x03SKU").encode())
    corrupt[5] ^= 0x20
    items = SsiFramer().feed(b"\x00\x02" + bytes(corrupt) + good)
    assert [type(i) for i in items] == [BadPacket, BadPacket, BadPacket, Packet]
    assert "checksum" in items[2].reason and items[3].opcode == Opcode.CMD_ACK


def test_framer_reset_drops_half_a_packet():
    framer = SsiFramer()
    framer.feed(ack(Source.DECODER)[:3])
    assert framer.reset() == ack(Source.DECODER)[:3]
    assert [p.opcode for p in framer.feed(ack(Source.DECODER))] == [Opcode.CMD_ACK]


def test_decode_data_splits_into_continuation_packets():
    packets = decode_data_packets(CodeType.GS1_DATAMATRIX, b"A" * 600)
    assert [len(p.data) for p in packets] == [251, 251, 101]
    assert [p.continuation for p in packets] == [True, True, False]
    assert all(p.data[0] == CodeType.GS1_DATAMATRIX for p in packets)


def test_host_acks_a_decode_and_adds_the_aim_id_from_the_code_type():
    step = SsiHostSession().receive(decode_data_packets(CodeType.GS1_128, GS1_MUG)[0].encode(), now=0)
    assert step.replies == [ack()]
    assert [f.text for f in step.frames] == ["]C1" + GS1_MUG.decode()]


def test_host_keeps_the_scanners_own_aim_id():
    step = SsiHostSession().receive(decode_data_packets(CodeType.CODE128, b"]C1" + GS1_MUG)[0].encode(), now=0)
    assert step.frames[0].text == "]C1" + GS1_MUG.decode()


def test_host_reassembles_a_multipacket_decode_acking_every_packet():
    session, data = SsiHostSession(), GS1_MUG * 20
    packets = decode_data_packets(CodeType.GS1_DATAMATRIX, data, chunk=100)
    steps = [session.receive(p.encode(), now=0) for p in packets]
    assert [s.replies for s in steps] == [[ack()]] * len(packets)
    assert [f.raw for s in steps for f in s.frames] == [data]


def test_a_retransmitted_packet_is_acked_again_but_delivered_once():
    session = SsiHostSession()
    first, second = decode_data_packets(CodeType.GS1_128, GS1_MUG * 10, chunk=200)
    frames = []
    for wire in (first.encode(), first.as_retransmission().encode(), second.encode(),
                 second.as_retransmission().encode()):
        step = session.receive(wire, now=0)
        assert step.replies == [ack()]
        frames += step.frames
    assert [f.raw for f in frames] == [GS1_MUG * 10]


def test_the_same_barcode_scanned_twice_is_two_scans():
    session, wire = SsiHostSession(), decode_data_packets(CodeType.EAN13, b"5012345678900")[0].encode()
    assert len(session.receive(wire + wire, now=0).frames) == 2


def test_a_bad_checksum_is_naked_with_resend():
    wire = bytearray(decode_data_packets(CodeType.EAN13, b"5012345678900")[0].encode())
    wire[-1] ^= 1
    step = SsiHostSession().receive(bytes(wire), now=0)
    assert step.replies == [nak(NakCause.RESEND)] and step.frames == []


def test_a_command_is_resent_on_nak_resend_and_on_silence_then_given_up():
    session = SsiHostSession(ack_timeout=1.0, max_attempts=3)
    sent = session.send(Packet(Opcode.BEEP, data=b"\x01"), now=0)
    with pytest.raises(RuntimeError, match="still waits"):
        session.send(Packet(Opcode.SCAN_ENABLE), now=0)
    resend = session.receive(Packet(Opcode.CMD_NAK, Source.DECODER, data=b"\x01").encode(), now=0.1)
    assert resend.replies == [Packet.decode(sent).as_retransmission().encode()]
    assert session.poll(now=0.5).replies == []
    assert len(session.poll(now=1.2).replies) == 1
    gave_up = session.poll(now=2.5)
    assert gave_up.replies == [] and "gave up" in gave_up.problems[0] and not session.busy


def test_an_ack_completes_the_command_and_a_denied_nak_is_reported():
    session = SsiHostSession()
    session.send(Packet(Opcode.SCAN_ENABLE), now=0)
    session.receive(ack(Source.DECODER), now=0)
    assert session.acked == [Opcode.SCAN_ENABLE] and not session.busy
    session.send(param_send({0x2D: 9}), now=0)
    step = session.receive(Packet(Opcode.CMD_NAK, Source.DECODER, data=b"\x06").encode(), now=0)
    assert step.problems == ["decoder refused opcode 0xc6: NAK DENIED"] and not session.busy
