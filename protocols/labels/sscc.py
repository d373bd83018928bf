"""Build SSCCs (AI 00) from a company prefix, an extension digit and a serial from a site's own range."""
from dataclasses import dataclass

from .check_digits import with_check_digit
from .errors import LabelError

SSCC_LENGTH = 18


def build_sscc(extension_digit: int, company_prefix: str, serial: int) -> str:
    """Return the 18-digit SSCC: extension + company prefix + serial reference + check digit."""
    if not 0 <= extension_digit <= 9:
        raise LabelError(f"The SSCC extension digit must be 0-9, got {extension_digit}.")
    if not (company_prefix.isascii() and company_prefix.isdigit() and 6 <= len(company_prefix) <= 12):
        raise LabelError(f"The GS1 company prefix must be 6 to 12 digits, got {company_prefix!r}.")
    width = SSCC_LENGTH - 2 - len(company_prefix)
    if not 0 <= serial < 10 ** width:
        raise LabelError(f"Serial {serial} does not fit the {width} digits left by prefix {company_prefix}.")
    return with_check_digit(f"{extension_digit}{company_prefix}{serial:0{width}d}")


@dataclass(frozen=True)
class SsccSeries:
    """One issuer's slice of the SSCC space: serials first..last (inclusive) under one prefix + extension.

    Sites (and offline stations) get disjoint ranges, so two issuers can never build the same SSCC.
    """

    company_prefix: str
    extension_digit: int
    first_serial: int
    last_serial: int

    def __post_init__(self) -> None:
        build_sscc(self.extension_digit, self.company_prefix, self.last_serial)  # validates the whole range
        if not 0 <= self.first_serial <= self.last_serial:
            raise LabelError(f"SSCC range {self.first_serial}-{self.last_serial} is empty or negative.")

    def sscc(self, serial: int) -> str:
        """Return the SSCC for a serial of this range."""
        if not self.first_serial <= serial <= self.last_serial:
            raise LabelError(f"SSCC serial {serial} is outside this site's range "
                             f"{self.first_serial}-{self.last_serial}: ask for a new range.")
        return build_sscc(self.extension_digit, self.company_prefix, serial)

    def overlaps(self, other: "SsccSeries") -> bool:
        """Say whether the two series could issue the same SSCC."""
        return (self.company_prefix == other.company_prefix and self.extension_digit == other.extension_digit
                and self.first_serial <= other.last_serial and other.first_serial <= self.last_serial)
