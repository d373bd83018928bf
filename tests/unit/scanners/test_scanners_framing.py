"""Prefix/suffix line framing fed in any split, and the documented scanner profiles."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocols.barcode import classify
from protocols.devices.scanners.framing import AffixFramer
from protocols.devices.scanners.honeywell import parse_menu_reply
from protocols.devices.scanners.profiles import PROFILES, profile
from protocols.devices.scanners.ssi import Packet

SCANS = [b"]C1010501234567890010LOT42\x1d17261231", b"LOC-A-01-03", b"]E05012345678900"]


@given(st.lists(st.sampled_from([b"\r\n", b"\r", b"\n"]), min_size=3, max_size=3),
       st.lists(st.integers(min_value=0, max_value=120), max_size=10))
def test_any_split_and_any_line_end_gives_the_same_scans(ends, cuts):
    wire = b"".join(scan + end for scan, end in zip(SCANS, ends))
    framer, frames, last = AffixFramer(), [], 0
    for cut in sorted(c for c in cuts if c <= len(wire)) + [len(wire)]:
        frames += framer.feed(wire[last:cut]).frames
        last = cut
    assert [f.raw for f in frames] == SCANS


def test_prefix_framing_drops_noise_and_frames_without_the_prefix():
    step = AffixFramer(prefix=b"\x02").feed(b"\x00\x7f\x02LOC-A-01-03\r\nSKU-BLUE-MUG\r\n\x02]E05012345678900\r\n")
    assert [f.text for f in step.frames] == ["LOC-A-01-03", "]E05012345678900"]
    assert len(step.problems) == 2 and "noise" in step.problems[0] and "prefix" in step.problems[1]


def test_runaway_data_without_suffix_is_dropped():
    framer = AffixFramer(max_length=8)
    assert "no scan suffix" in framer.feed(b"0123456789").problems[0]
    assert [f.text for f in framer.feed(b"SKU-1\r").frames] == ["SKU-1"]


def test_every_profile_is_complete_and_its_setup_bytes_parse():
    for p in PROFILES.values():
        assert p.symbologies and p.setup and p.gs_handling in ("ascii29", "substitute")
        assert (p.gs_substitute is not None) == (p.gs_handling == "substitute")
    assert Packet.decode(profile("zebra-ssi").setup_bytes).status & 0x08  # permanent
    echoed = profile("honeywell-serial").setup_bytes.replace(b",", b"\x06,").replace(b";", b"\x06;")[:-1] + b"\x06."
    assert parse_menu_reply(echoed).accepted


def test_wedge_profile_substitute_keeps_gs1_fields_apart():
    wedge = profile("keyboard-wedge")
    assert classify("]C1010501234567890010LOT42<GS>17261231", wedge.gs_substitute).lot == "LOT42"


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(ValueError, match="zebra-ssi"):
        profile("acme")
