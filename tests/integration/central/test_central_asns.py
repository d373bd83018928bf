"""ASNs at the centre: created and sent down in one transaction, and the site's receipt and stock applied once."""
from central.adapters.hub_hooks import apply_event
from sync.sqlite_store import SqliteInboxStore, read_connection

from central_support import dump, outbox, site_event, stock

PALLET = "035012345000000016"
ASN = {"asn_id": "ASN-1001", "supplier": "Potteries Ltd", "over_tolerance_pct": 5,
       "lines": [{"sku": "SKU-KETTLE", "qty": 12, "sscc": PALLET},
                 {"sku": "SKU-BLUE-MUG", "qty": 10, "lot": "L2403", "expiry": "270131"}]}


def receipt(asn_id="ASN-1001", discrepancies=()) -> dict:
    return site_event("receipt.recorded", {
        "receipt_id": asn_id or "BL-0001", "asn_id": asn_id, "supplier": "Potteries Ltd", "picker": "BADGE-0001",
        "lines": [{"sku": "SKU-KETTLE", "qty": 12, "lot": "", "expiry": "", "condition": "ok"},
                  {"sku": "SKU-BLUE-MUG", "qty": 9, "lot": "L2403", "expiry": "270131", "condition": "ok"}],
        "discrepancies": list(discrepancies)})


def in_sequence(*events: dict) -> list[dict]:
    return [dict(event, seq=n) for n, event in enumerate(events, start=1)]


def site_stock(db_path: str) -> dict:
    with read_connection(db_path) as conn:
        return {(r["location"], r["sku"], r["lot"]): r["qty"] for r in conn.execute(
            "SELECT location, sku, lot, qty FROM stock WHERE site_id = 'DC01'")}


def test_creating_an_asn_queues_asn_created_to_its_site_in_the_same_transaction(seeded, db_path, sync):
    created = seeded.post("/api/v1/sites/DC01/asns", json=ASN)
    assert created.status_code == 201, created.json
    assert created.json["status"] == "sent" and [line["line_no"] for line in created.json["lines"]] == [1, 2]
    assert created.json["receipt"] is None and created.json["lines"][0]["received_qty"] is None
    [command] = [row for row in outbox(db_path, "DC01") if row["type"] == "asn.created"]
    assert command["data"]["lines"][0] == {"line_no": 1, "sku": "SKU-KETTLE", "qty": 12, "sscc": PALLET,
                                           "item": {"sku": "SKU-KETTLE", "description": "Kettle 1.7 l, steel",
                                                    "gtins": ["05012345678931"]}}
    assert command["data"]["over_tolerance_pct"] == 5 and sync.nudges >= 1
    assert seeded.get("/api/v1/sites/DC01/asns").json["asns"][0]["asn_id"] == "ASN-1001"


def test_bad_asns_are_refused_with_clear_errors_and_change_nothing(seeded, db_path):
    before = dump(db_path)
    cases = [
        ("/api/v1/sites/DC09/asns", ASN, 404, "unknown_site"),
        ("/api/v1/sites/DC01/asns", dict(ASN, lines=[{"sku": "SKU-NOPE", "qty": 1}]), 422, "unknown_item"),
        ("/api/v1/sites/DC01/asns", dict(ASN, lines=[{"sku": "SKU-KETTLE", "qty": 1}] * 2), 422, "invalid_asn"),
        ("/api/v1/sites/DC01/asns", dict(ASN, lines=[{"sku": "SKU-KETTLE", "qty": 1, "expiry": "2027-01-31"}]),
         422, "validation_failed"),
    ]
    for path, body, status, code in cases:
        answer = seeded.post(path, json=body)
        assert (answer.status_code, answer.json["error"]) == (status, code), answer.json
        assert answer.json["message"]
    assert dump(db_path) == before
    assert seeded.post("/api/v1/sites/DC01/asns", json=ASN).status_code == 201
    again = seeded.post("/api/v1/sites/DC01/asns", json=ASN)
    assert again.status_code == 409 and again.json["error"] == "duplicate_asn"
    missing = seeded.get("/api/v1/sites/DC01/asns/ASN-404")
    assert missing.status_code == 404 and missing.json["error"] == "unknown_asn"


def test_receive_and_putaway_deltas_and_the_receipt_apply_exactly_once(seeded, db_path):
    assert seeded.post("/api/v1/sites/DC01/asns", json=ASN).status_code == 201
    events = in_sequence(
        stock("RECV", "SKU-KETTLE", 12, reason="receive"),
        stock("RECV", "SKU-BLUE-MUG", 9, reason="receive", lot="L2403"),
        receipt(discrepancies=[{"sku": "SKU-BLUE-MUG", "expected": 10, "received": 9, "kind": "short"}]),
        stock("RECV", "SKU-KETTLE", -12, reason="putaway"),
        stock("B-01-01", "SKU-KETTLE", 12, reason="putaway"))
    inbox = SqliteInboxStore(db_path)
    first = inbox.receive("DC01", 1, events, apply_event)
    resent = inbox.receive("DC01", 1, events, apply_event)  # a resend after a lost ack
    assert first.hwm == resent.hwm == 5
    assert site_stock(db_path) == {("RECV", "SKU-KETTLE", ""): 0, ("RECV", "SKU-BLUE-MUG", "L2403"): 9,
                                   ("B-01-01", "SKU-KETTLE", ""): 12}
    asn = seeded.get("/api/v1/sites/DC01/asns/ASN-1001").json
    assert asn["status"] == "received_with_discrepancies"
    assert [(line["sku"], line["received_qty"]) for line in asn["lines"]] == [("SKU-KETTLE", 12), ("SKU-BLUE-MUG", 9)]
    assert asn["receipt"]["discrepancies"][0]["kind"] == "short"


def test_a_receipt_for_an_asn_the_centre_never_sent_is_set_aside_and_blind_receipts_are_kept(seeded, db_path):
    inbox = SqliteInboxStore(db_path)
    inbox.receive("DC01", 1, in_sequence(receipt("ASN-404"), receipt("")), apply_event)
    with read_connection(db_path) as conn:
        outcomes = [tuple(r) for r in conn.execute("SELECT seq, outcome FROM sync_inbox ORDER BY seq")]
        blind = conn.execute("SELECT site_id, receipt_id FROM blind_receipts").fetchall()
    assert outcomes == [(1, "rejected"), (2, "applied")]
    assert [tuple(r) for r in blind] == [("DC01", "BL-0001")]
