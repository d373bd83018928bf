"""Advance shipping notices: goods a supplier sends to one site, and how the site's receipt compared."""
from dataclasses import dataclass, field

from .errors import CentralError, SiteEventNotApplicable

ASN_SENT, ASN_RECEIVED, ASN_DISCREPANCIES = "sent", "received", "received_with_discrepancies"
ASN_STATUSES = (ASN_SENT, ASN_RECEIVED, ASN_DISCREPANCIES)


class DuplicateAsn(CentralError):
    """Raise when an ASN id is used twice."""

    def __init__(self, asn_id: str, site_id: str):
        super().__init__(f"ASN {asn_id} already exists (site {site_id})")
        self.asn_id, self.site_id = asn_id, site_id


class InvalidAsn(CentralError):
    """Raise when an ASN breaks a rule its fields alone can show."""

    def __init__(self, message: str, errors: dict):
        super().__init__(message)
        self.errors = errors


class ReceiptNotApplicable(SiteEventNotApplicable):
    """Raise when a site reports a receipt against an ASN the centre did not send it."""


@dataclass(frozen=True)
class AsnLine:
    line_no: int
    sku: str
    qty: int
    lot: str = ""
    expiry: str = ""
    sscc: str = ""


@dataclass
class Asn:
    asn_id: str
    site_id: str
    supplier: str
    lines: list[AsnLine]
    over_tolerance_pct: int = 0
    status: str = ASN_SENT
    created_at: str = ""
    updated_at: str = ""
    receipt: dict = field(default_factory=dict)

    @classmethod
    def create(cls, asn_id: str, site_id: str, supplier: str, lines: list[dict], over_tolerance_pct: int,
               now: str) -> "Asn":
        """Number the lines; a pallet (SSCC) may carry several lines, but each sku+lot appears once."""
        seen, errors = set(), {}
        for n, line in enumerate(lines):
            key = (line["sku"], line.get("lot", ""))
            if key in seen:
                errors[str(n)] = ["this sku and lot is already on another line: put its total on one line"]
            seen.add(key)
        if errors:
            raise InvalidAsn("an ASN line repeats a sku and lot", {"lines": errors})
        return cls(asn_id, site_id, supplier,
                   [AsnLine(n, line["sku"], line["qty"], line.get("lot", ""), line.get("expiry", ""),
                            line.get("sscc", "")) for n, line in enumerate(lines, start=1)],
                   over_tolerance_pct, ASN_SENT, now, now)

    def record_receipt(self, site_id: str, receipt: dict, now: str) -> None:
        """Keep the site's receipt and mark the ASN received, with or without discrepancies."""
        if site_id != self.site_id:
            raise ReceiptNotApplicable(f"ASN {self.asn_id} was sent to site {self.site_id}, not {site_id}")
        self.receipt = receipt
        self.status = ASN_DISCREPANCIES if receipt.get("discrepancies") else ASN_RECEIVED
        self.updated_at = now
