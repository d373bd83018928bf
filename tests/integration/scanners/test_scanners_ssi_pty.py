"""The SSI host driver against a fake Zebra decoder on a pty: ACKs, retransmissions, NAKs, multipacket."""
import os
import select
import tty

import pytest
from fake_ssi_scanner import FakeSsiScanner

from edge.devices.serial_scanner import SerialScannerDriver
from protocols.devices.scanners.profiles import profile
from protocols.devices.scanners.ssi import CodeType, NakCause, Opcode, Packet, Source, ack, nak

GS1_MUG = b"010501234567890010LOT42\x1d17261231"


@pytest.fixture
def ssi(pty_link, reads):
    driver = SerialScannerDriver.for_profile(pty_link.path, profile("zebra-ssi"), reads, require_aim=False)
    driver.start()
    assert driver.connected.wait(5)  # pyserial flushes input on open: the fake speaks only after this
    yield driver, FakeSsiScanner(pty_link.controller)
    driver.stop()


def test_a_decode_is_acked_and_resolved(ssi, reads):
    driver, scanner = ssi
    assert scanner.emit(CodeType.GS1_128, GS1_MUG)
    read = reads.wait_for(1)[0]
    assert read.frame.text == "]C1" + GS1_MUG.decode()
    assert (read.scan.kind, read.scan.value, read.scan.lot) == ("gtin", "05012345678900", "LOT42")


def test_a_long_decode_arrives_in_several_packets_and_is_delivered_whole(ssi, reads):
    driver, scanner = ssi
    data = b"]d2" + GS1_MUG + b"\x1d21SER-0001-BLUE-MUG"
    assert scanner.emit(CodeType.GS1_DATAMATRIX, data, chunk=20)
    assert len(scanner.sent) == 3 and not Packet.decode(scanner.sent[2]).continuation
    read = reads.wait_for(1)[0]
    assert read.frame.raw == data and read.scan.serial == "SER-0001-BLUE-MUG"


def test_a_lost_ack_makes_the_scanner_resend_but_the_scan_counts_once(ssi, reads):
    driver, scanner = ssi
    scanner.ignore_acks = 1
    assert scanner.emit(CodeType.EAN13, b"5012345678900")
    assert Packet.decode(scanner.sent[1]).retransmit
    scanner.emit(CodeType.EAN13, b"4006381333931")
    assert [r.scan.value for r in reads.wait_for(2)] == ["05012345678900", "04006381333931"]
    assert len(reads.items) == 2


def test_a_corrupted_decode_is_naked_and_the_resend_is_taken(ssi, reads):
    driver, scanner = ssi
    scanner.corrupt_next = 1
    assert scanner.emit(CodeType.EAN13, b"5012345678900")
    assert len(scanner.sent) == 2 and Packet.decode(scanner.sent[1]).retransmit
    assert [r.scan.value for r in reads.wait_for(1)] == ["05012345678900"]


def test_a_host_command_is_acked(ssi):
    driver, scanner = ssi
    driver.send_command(Packet(Opcode.BEEP, data=b"\x01"))
    scanner.serve(0.5)
    assert [p.opcode for p in scanner.from_host] == [Opcode.BEEP]
    assert driver.codec.acked == [Opcode.BEEP]


def test_the_fake_naks_a_packet_with_a_bad_checksum(pty_link):
    scanner = FakeSsiScanner(pty_link.controller)
    tty.setraw(pty_link.device)  # this side plays the host without pyserial: make the pty byte-exact ourselves
    os.write(pty_link.device, b"\x04\xe9\x04\x00\xff\x00")  # SCAN_ENABLE with checksum 0xFF00 instead of 0xFF0F
    scanner.serve(0.3)
    os.write(pty_link.device, Packet(Opcode.SCAN_ENABLE).encode())
    scanner.serve(0.3)
    assert select.select([pty_link.device], [], [], 2)[0]
    assert os.read(pty_link.device, 64) == nak(NakCause.RESEND, Source.DECODER) + ack(Source.DECODER)
