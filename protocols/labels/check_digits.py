"""GS1 mod-10 check digits for GTIN-8/12/13/14, GLN and SSCC."""
from protocols.barcode.gs1 import check_digit

from .errors import LabelError


def gs1_check_digit(payload: str) -> int:
    """Return the check digit for the digits of a GS1 number without its check digit."""
    if not (payload.isascii() and payload.isdigit()):
        raise LabelError(f"A GS1 number holds digits only, got {payload!r}.")
    return check_digit(payload)


def with_check_digit(payload: str) -> str:
    """Return payload followed by its GS1 check digit."""
    return payload + str(gs1_check_digit(payload))


def is_valid_gs1_number(digits: str) -> bool:
    """Say whether digits end in the right GS1 check digit."""
    return (len(digits) > 1 and digits.isascii() and digits.isdigit()
            and check_digit(digits[:-1]) == int(digits[-1]))
