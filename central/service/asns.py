"""Handlers for ASNs: create one and send it down to its site; apply the receipt the site reports."""
from dataclasses import dataclass

from central.domain.asns import Asn, DuplicateAsn, ReceiptNotApplicable
from central.domain.errors import UnknownItem
from central.domain.master_data import Item

from .commands import IngestSiteEvent
from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class CreateAsn:
    site_id: str
    asn_id: str
    supplier: str
    lines: list[dict]
    over_tolerance_pct: int = 0


class UnknownSite(Exception):
    def __init__(self, site_id: str):
        super().__init__(f"no site {site_id}")
        self.site_id = site_id


def create_asn(cmd: CreateAsn, uow: UnitOfWork) -> str:
    """Store the ASN and queue asn.created to its site in the same transaction; return its id."""
    with uow:
        if uow.sites.get(cmd.site_id) is None:
            raise UnknownSite(cmd.site_id)
        existing = uow.asns.get(cmd.asn_id)
        if existing is not None:
            raise DuplicateAsn(cmd.asn_id, existing.site_id)
        missing = uow.items.missing(list(dict.fromkeys(line["sku"] for line in cmd.lines)))
        if missing:
            raise UnknownItem(missing)
        asn = Asn.create(cmd.asn_id, cmd.site_id, cmd.supplier, cmd.lines, cmd.over_tolerance_pct, uow.now)
        uow.asns.add(asn)
        uow.send_command(cmd.site_id, "asn.created", asn_created_data(asn, uow))
        uow.commit()
    return asn.asn_id


def asn_created_data(asn: Asn, uow: UnitOfWork) -> dict:
    lines = []
    for line in asn.lines:
        data = {"line_no": line.line_no, "sku": line.sku, "qty": line.qty,
                "item": (uow.items.get(line.sku) or Item(line.sku)).as_command_data()}
        data |= {k: v for k, v in (("lot", line.lot), ("expiry", line.expiry), ("sscc", line.sscc)) if v}
        lines.append(data)
    return {"asn_id": asn.asn_id, "supplier": asn.supplier, "over_tolerance_pct": asn.over_tolerance_pct,
            "lines": lines}


def apply_receipt_recorded(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    """Mark the ASN received (or keep a blind receipt); a receipt against an ASN not sent to the site is set aside."""
    if not data["asn_id"]:
        uow.asns.add_blind_receipt(cmd.site_id, data, uow.now)
        return
    asn = uow.asns.get(data["asn_id"])
    if asn is None:
        raise ReceiptNotApplicable(f"site {cmd.site_id} reports a receipt for ASN {data['asn_id']}, "
                                   "which the centre never sent")
    asn.record_receipt(cmd.site_id, data, uow.now)
    uow.asns.save(asn)
