"""Reconciliation: a site's own stock export against the centre's ledger, explained event by event."""
from central.adapters.hub_hooks import apply_event
from central_support import dump, site_event, stock
from sync.sqlite_store import SqliteInboxStore

AT = "2025-03-03T10:00:00.000+00:00"


def through_inbox(db_path, site, *events):
    """Apply events the way the hub does, so they land in the ledger (the sync inbox) with their seqs."""
    inbox = SqliteInboxStore(db_path)
    hwm = inbox.hwm(site, 1)
    inbox.apply_batch(site, 1, [event | {"seq": hwm + n} for n, event in enumerate(events, start=1)], apply_event)


def moved(location, sku, qty, occurred_at, reason="pick"):
    return stock(location, sku, qty, reason) | {"occurred_at": occurred_at}


def test_discrepancies_are_listed_with_their_ledger_events_and_explained(seeded, db_path):
    through_inbox(db_path, "DC01", moved("A-01-01", "SKU-BLUE-MUG", 10, "2025-03-03T08:00:00.000+00:00", "count"),
         moved("A-01-01", "SKU-BLUE-MUG", -3, "2025-03-03T09:00:00.000+00:00"),
         moved("A-01-01", "SKU-BLUE-MUG", -2, "2025-03-03T11:00:00.000+00:00"),   # after the snapshot
         moved("B-01-01", "SKU-KETTLE", 5, "2025-03-03T08:00:00.000+00:00", "count"),
         moved("C-01-01", "SKU-BLUE-MUG", 4, "2025-03-03T08:00:00.000+00:00", "count"))
    snapshot = {"taken_at": "2025-03-03T10:00:00+00:00", "stock": [
        {"location": "A-01-01", "sku": "SKU-BLUE-MUG", "qty": 7},   # 10-3: the -2 came later
        {"location": "B-01-01", "sku": "SKU-KETTLE", "qty": 4},     # a kettle went missing unreported
        {"location": "D-01-01", "sku": "SKU-KETTLE", "qty": 2},     # never reported at all
        # C-01-01 is not in the export
    ]}

    reply = seeded.post("/api/v1/sites/DC01/reconciliation", json=snapshot)

    assert reply.status_code == 201
    report = reply.json
    assert (report["rows_compared"], report["matching"]) == (4, 0)
    found = {(d["location"], d["sku"]): d for d in report["discrepancies"]}
    mugs = found[("A-01-01", "SKU-BLUE-MUG")]
    assert (mugs["site_qty"], mugs["central_qty"], mugs["central_qty_at_snapshot"], mugs["difference"]) == (
        7, 5, 7, -2)
    assert [(e["qty_delta"], e["running_qty"], e["reason"]) for e in mugs["events"]] == [
        (10, 10, "count"), (-3, 7, "pick"), (-2, 5, "pick")]
    assert mugs["explanation"].startswith("Explained: the snapshot was taken before event(s) #")
    assert found[("B-01-01", "SKU-KETTLE")]["explanation"].startswith("Unexplained: the ledger sums 5 from 1 event")
    assert found[("D-01-01", "SKU-KETTLE")]["explanation"].startswith("The site counts 2 but never reported")
    assert found[("C-01-01", "SKU-BLUE-MUG")]["explanation"].startswith("The site's snapshot has no row here")
    again = seeded.get("/api/v1/sites/DC01/reconciliation").json
    assert again["snapshot_id"] == report["snapshot_id"] and again["discrepancies"] == report["discrepancies"]


def test_a_set_aside_event_explains_the_difference(seeded, db_path):
    good = moved("A-01-01", "SKU-KETTLE", 5, "2025-03-03T08:00:00.000+00:00", "count")
    bad = site_event("stock.changed", {"location": "A-01-01", "sku": "SKU-KETTLE", "qty_delta": 3,
                                       "reason": "teleport"}) | {"occurred_at": "2025-03-03T08:30:00+00:00"}
    through_inbox(db_path, "DC01", good, bad)
    report = seeded.post("/api/v1/sites/DC01/reconciliation", json={"taken_at": AT, "stock": [
        {"location": "A-01-01", "sku": "SKU-KETTLE", "qty": 8}]}).json
    [kettles] = report["discrepancies"]
    assert [e["applied"] for e in kettles["events"]] == [True, False]
    assert kettles["explanation"].startswith("Explained: event(s) #2 (")


def test_a_matching_snapshot_has_no_discrepancies_and_bad_ones_change_nothing(seeded, db_path):
    through_inbox(db_path, "DC02", stock("A-01-01", "SKU-KETTLE", 5))
    ok = seeded.post("/api/v1/sites/DC02/reconciliation", json={"taken_at": AT, "stock": [
        {"location": "A-01-01", "sku": "SKU-KETTLE", "qty": 5}]}).json
    assert (ok["matching"], ok["discrepancies"]) == (1, [])
    before = dump(db_path)
    row = {"location": "A-01-01", "sku": "SKU-KETTLE", "qty": 5}
    assert seeded.post("/api/v1/sites/DC02/reconciliation",
                       json={"taken_at": AT, "stock": [row, row]}).json["error"] == "duplicate_row"
    assert seeded.post("/api/v1/sites/DC02/reconciliation",
                       json={"taken_at": "2025-03-03T10:00:00", "stock": []}).status_code == 422
    assert seeded.post("/api/v1/sites/DC02/reconciliation",  # no UTC time exists for it (was a 500)
                       json={"taken_at": "0001-01-01T00:00:00+01:00", "stock": []}).json["error"] == "bad_taken_at"
    assert seeded.post("/api/v1/sites/DC09/reconciliation", json={"taken_at": AT, "stock": []}).status_code == 404
    assert seeded.get("/api/v1/sites/DC01/reconciliation").json["error"] == "no_snapshot"
    assert dump(db_path) == before
