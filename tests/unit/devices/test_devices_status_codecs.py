"""~HS / ~HQES parsers and the ZPL stream splitter, fed real byte vectors in any split."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocols.devices import StxEtxFramer, ZplStreamSplitter, parse_hqes, parse_hs
from protocols.devices.host_status import StatusParseError
from protocols.devices.zpl_stream import ZplControl, ZplFormat

HS_READY = (b"\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
            b"\x02000,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n")
HS_FAULTS = (b"\x02030,1,1,1218,002,1,0,1,000,0,0,0\x03\r\n"
             b"\x02000,0,1,1,1,2,6,0,00000003,1,000\x03\r\n\x021234,0\x03\r\n")


def test_ready_printer():
    status = parse_hs(HS_READY)
    assert status.ready and status.label_length_dots == 1218 and status.print_mode == "2"


def test_every_fault_flag_is_read_from_its_own_field():
    status = parse_hs(HS_FAULTS)
    assert status.problems == ["paper out", "head open", "ribbon out", "paused", "buffer full"]
    assert status.partial_format and status.formats_in_buffer == 2 and status.labels_remaining == 3


@pytest.mark.parametrize("reply", [b"", b"\x02030,0,0\x03", HS_READY.replace(b",0,0,0\x03", b",0,X,0\x03", 1)])
def test_silence_and_garbage_raise_our_own_error(reply):
    with pytest.raises(StatusParseError):
        parse_hs(reply)


def test_hqes_reads_several_bits_per_nibble_and_hex_letters():
    reply = (b"\x02\r\n PRINTER STATUS\r\n   ERRORS:         1 00000000 0000000D\r\n"
             b"   WARNINGS:       1 00000000 0000000A\r\n\x03")
    flags = parse_hqes(reply)
    assert flags.errors == {"media out", "head open", "cutter fault"}
    assert flags.warnings == {"clean printhead", "paper near end"}
    assert not flags.ready


def test_hqes_without_errors_is_ready():
    reply = b"\x02\r\nPRINTER STATUS\r\nERRORS: 0 00000000 00000000\r\nWARNINGS: 0 00000000 00000000\r\n\x03"
    assert parse_hqes(reply).ready


STREAM = b"~HS^XA^FO10,10^FDone^FS^XZ\r\n^XA^FDtwo^FS^XZ~HQES"


@given(st.lists(st.integers(min_value=1, max_value=len(STREAM)), max_size=8))
def test_splitter_gives_the_same_items_for_any_chunking(cuts):
    splitter, items, last = ZplStreamSplitter(), [], 0
    for cut in sorted(cuts) + [len(STREAM)]:
        items += splitter.feed(STREAM[last:cut])
        last = max(last, cut)
    assert items == [ZplControl(b"~HS"), ZplFormat(b"^XA^FO10,10^FDone^FS^XZ"), ZplFormat(b"^XA^FDtwo^FS^XZ"),
                     ZplControl(b"~HQES")]


@given(st.integers(min_value=0, max_value=len(HS_READY)))
def test_stx_framer_survives_a_split_anywhere(cut):
    framer = StxEtxFramer()
    frames = framer.feed(HS_READY[:cut]) + framer.feed(HS_READY[cut:])
    assert len(frames) == 3 and frames[2] == b"1234,0"


def test_unfinished_format_is_reported_as_partial():
    splitter = ZplStreamSplitter()
    splitter.feed(b"^XA^FDhalf")
    assert splitter.partial
