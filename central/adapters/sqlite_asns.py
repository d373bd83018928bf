"""SQLite repository of ASNs and the receipts sites report."""
import json

from sqlite_utils import Database

from central.domain.asns import Asn, AsnLine
from central.service.unit_of_work import AsnRepository


class SqliteAsnRepository(AsnRepository):
    def __init__(self, db: Database):
        self.db = db

    def get(self, asn_id: str) -> Asn | None:
        row = self.db.execute("SELECT asn_id, site_id, supplier, over_tolerance_pct, status, created_at, updated_at,"
                              " receipt FROM asns WHERE asn_id = ?", [asn_id]).fetchone()
        if row is None:
            return None
        lines = [AsnLine(*line) for line in self.db.execute(
            "SELECT line_no, sku, qty, lot, expiry, sscc FROM asn_lines WHERE asn_id = ? ORDER BY line_no", [asn_id])]
        return Asn(row[0], row[1], row[2], lines, row[3], row[4], row[5], row[6], json.loads(row[7]))

    def add(self, asn: Asn) -> None:
        self.db.execute("INSERT INTO asns (asn_id, site_id, supplier, over_tolerance_pct, status, created_at,"
                        " updated_at, receipt) VALUES (?,?,?,?,?,?,?,?)",
                        [asn.asn_id, asn.site_id, asn.supplier, asn.over_tolerance_pct, asn.status, asn.created_at,
                         asn.updated_at, json.dumps(asn.receipt)])
        for line in asn.lines:
            self.db.execute("INSERT INTO asn_lines (asn_id, line_no, sku, qty, lot, expiry, sscc)"
                            " VALUES (?,?,?,?,?,?,?)",
                            [asn.asn_id, line.line_no, line.sku, line.qty, line.lot, line.expiry, line.sscc])

    def save(self, asn: Asn) -> None:
        self.db.execute("UPDATE asns SET status = ?, updated_at = ?, receipt = ? WHERE asn_id = ?",
                        [asn.status, asn.updated_at, json.dumps(asn.receipt), asn.asn_id])

    def add_blind_receipt(self, site_id: str, receipt: dict, now: str) -> None:
        self.db.execute("INSERT INTO blind_receipts (site_id, receipt_id, receipt, recorded_at) VALUES (?,?,?,?)",
                        [site_id, receipt["receipt_id"], json.dumps(receipt), now])
