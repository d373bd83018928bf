"""Read side of ASNs: one ASN with its lines, what the site received of each, and the receipt."""
import json
import sqlite3


def get_asn(conn: sqlite3.Connection, site_id: str, asn_id: str) -> dict | None:
    row = conn.execute("SELECT asn_id, site_id, supplier, over_tolerance_pct, status, created_at, updated_at, receipt"
                       " FROM asns WHERE asn_id = ? AND site_id = ?", [asn_id, site_id]).fetchone()
    if row is None:
        return None
    receipt = json.loads(row["receipt"]) or None
    received: dict[str, int] = {}
    for line in (receipt or {}).get("lines", []):
        received[line["sku"]] = received.get(line["sku"], 0) + line["qty"]
    lines = []
    for line in conn.execute("SELECT line_no, sku, qty, lot, expiry, sscc FROM asn_lines WHERE asn_id = ?"
                             " ORDER BY line_no", [asn_id]):
        # a sku's received total goes on its first line (lines are unique per sku and lot)
        lines.append(dict(line) | {"received_qty": received.pop(line["sku"], 0) if receipt else None})
    return {"asn_id": row["asn_id"], "site_id": row["site_id"], "supplier": row["supplier"],
            "over_tolerance_pct": row["over_tolerance_pct"], "status": row["status"],
            "created_at": row["created_at"], "updated_at": row["updated_at"], "lines": lines, "receipt": receipt}


def list_asns(conn: sqlite3.Connection, site_id: str, limit: int = 100) -> list[dict]:
    rows = conn.execute("SELECT asn_id FROM asns WHERE site_id = ? ORDER BY created_at DESC, asn_id LIMIT ?",
                        [site_id, limit]).fetchall()
    return [get_asn(conn, site_id, row["asn_id"]) for row in rows]
