"""Check digits, SSCCs and GS1 element-string encoding for ZPL, without I/O."""
import biip
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocols.labels import (Element, LabelError, SsccSeries, build_sscc, code128_data, datamatrix_data,
                              escape_field_data, gs1_check_digit, hri, is_valid_gs1_number, with_check_digit)

digits = st.text(alphabet="0123456789", min_size=7, max_size=17)


@given(digits)
def test_a_number_with_its_check_digit_is_valid_and_biip_agrees(payload):
    number = with_check_digit(payload)
    assert is_valid_gs1_number(number)
    if len(number) in (8, 12, 13, 14):
        assert biip.parse(number).gtin.check_digit == int(number[-1])


@given(digits, st.integers(min_value=1, max_value=9))
def test_changing_one_digit_breaks_the_check_digit(payload, delta):
    number = with_check_digit(payload)
    broken = number[:-1] + str((int(number[-1]) + delta) % 10)
    assert not is_valid_gs1_number(broken)


@given(st.integers(0, 9), st.integers(0, 10**9 - 1))
def test_every_sscc_is_18_digits_and_parses_cleanly(extension, serial):
    sscc = build_sscc(extension, "7612345", serial)
    parsed = biip.parse("]C100" + sscc).sscc
    assert len(sscc) == 18 and parsed.value == sscc and parsed.extension_digit == extension


def test_known_check_digits():
    assert gs1_check_digit("0731234567890") == 9
    assert build_sscc(3, "7612345", 1) == "376123450000000016"


def test_site_ranges_cannot_collide():
    dc01, dc02 = SsccSeries("7612345", 3, 0, 999_999), SsccSeries("7612345", 3, 1_000_000, 1_999_999)
    assert not dc01.overlaps(dc02)
    assert dc01.overlaps(SsccSeries("7612345", 3, 999_999, 1_000_005))
    with pytest.raises(LabelError, match="outside this site's range"):
        dc01.sscc(1_000_000)


def test_gs1_128_data_starts_c_with_fnc1_and_sends_an_odd_last_digit_in_subset_b():
    data = code128_data([Element("01", "07312345678909"), Element("21", "12345")])
    assert data == ">;>80107312345678909211234>65"


def test_variable_length_field_gets_fnc1_before_the_next_field():
    data = code128_data([Element("10", "LOT42"), Element("17", "261231")])
    assert data == ">;>810>6LOT42>817261231"


@pytest.mark.parametrize("elements,problem", [
    ([Element("00", "376123450000000017")], "check digit"),
    ([Element("01", "0731234567890")], "format"),
    ([Element("10", "LOT^42")], "format"),
    ([Element("10", "LOT>42")], "ZPL"),
    ([Element("99x", "1")], "application identifier"),
    ([], "at least one"),
])
def test_bad_element_data_is_refused_before_it_reaches_a_printer(elements, problem):
    with pytest.raises(LabelError, match=problem):
        code128_data(elements)


def test_datamatrix_data_uses_the_explicit_escape_and_refuses_it_in_values():
    assert datamatrix_data([Element("01", "07312345678909"), Element("10", "A1"), Element("21", "S1")]) == \
        "_10107312345678909" + "10A1_121S1"
    with pytest.raises(LabelError, match="'_'"):
        datamatrix_data([Element("10", "A_1")])


def test_hri_puts_ais_in_brackets():
    assert hri([Element("00", "376123450000000016")]) == "(00) 376123450000000016"


@given(st.text(max_size=40))
def test_escaped_text_never_carries_a_zpl_prefix_or_control_byte(text):
    escaped = escape_field_data(text)
    assert not any(c in escaped for c in "^~") and all(ord(c) >= 32 for c in escaped)


def test_escape_uses_hex_bytes():
    assert escape_field_data("Müller ^ Söhne ~ \\") == "Müller \\5E Söhne \\7E \\5C"
