"""Parse GS1 element strings with biip, turning its lenient *_error fields into BarcodeError."""
import biip

from . import messages
from .errors import BarcodeError

GTIN_LENGTHS = (8, 12, 13, 14)


def check_digit(payload: str) -> int:
    """Return the GS1 mod-10 check digit for the digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10


def has_valid_check_digit(digits: str) -> bool:
    """Say whether the last digit is the GS1 check digit of the others."""
    return len(digits) > 1 and digits.isdigit() and check_digit(digits[:-1]) == int(digits[-1])


def parse_element_string(data: str, symbology: str | None = None) -> dict[str, str]:
    """Return {ai: value} for a GS1 element string, or raise BarcodeError saying what is wrong."""
    if not data:
        raise BarcodeError(messages.GS1_WITHOUT_DATA)
    try:
        result = biip.parse((symbology or "]C1") + data)
    except biip.BiipException as err:
        raise BarcodeError(messages.render(messages.BAD_GS1, detail=str(err))) from None
    if result.gs1_message is None:
        raise BarcodeError(messages.render(messages.BAD_GS1, detail=result.gs1_message_error or "no data"))
    elements: dict[str, str] = {}
    for element in result.gs1_message.element_strings:
        error = element.gtin_error or element.sscc_error or element.gln_error
        if error:
            raise BarcodeError(messages.render(messages.BAD_GS1, detail=error))
        elements[element.ai.ai] = element.value
    return elements
