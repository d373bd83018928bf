"""CSV order import: API and CLI, each order all-or-nothing, a per-row error report, progress."""
import io
from pathlib import Path

from central.order_import_cli import ProgressBar, run_import
from central_support import dump, feed, stock

ROOT = Path(__file__).resolve().parents[3]
HEADER = "external_order_id,customer,requested_ship_date,priority,sku,qty\n"
GOOD_AND_BAD = HEADER + (
    "PO-1,Acme Ltd,2025-03-10,high,SKU-BLUE-MUG,6\n"
    "PO-1,Acme Ltd,2025-03-10,high,SKU-KETTLE,1\n"
    "PO-2,Brew & Co,2025-03-11,5,SKU-BLUE-MUG,2\n"
    "PO-2,Brew & Co,2025-03-11,5,SKU-NOPE,1\n"          # unknown item: PO-2 is not imported at all
    "PO-3,Corner Cafe,2025-03-11,2,SKU-KETTLE,two\n"     # bad quantity
    "PO-4,Deli Ltd,2025-02-30,2,SKU-KETTLE,1\n"          # bad date
    "PO-5,Eat Ltd,2025-03-11,asap,SKU-KETTLE,1\n"        # unknown priority
    "PO-6,Fig Ltd,2025-03-12,9,SKU-KETTLE,1\n")


def post_csv(client, text, **headers):
    return client.post("/api/v1/orders/imports", data=text.encode(), content_type="text/csv",
                       headers={"X-Operator": "kim.orders", **headers})


def test_good_orders_are_imported_and_bad_rows_reported_without_half_orders(seeded, db_path):
    feed(db_path, "DC01", stock("A-01-01", "SKU-BLUE-MUG", 100), stock("B-01-01", "SKU-KETTLE", 10))

    reply = post_csv(seeded, GOOD_AND_BAD)

    assert reply.status_code == 201
    report = reply.json
    assert report["import_id"].startswith("IMP-") and report["operator"] == "kim.orders"
    assert (report["status"], report["rows_total"], report["rows_done"]) == ("done", 8, 8)
    assert (report["orders_total"], report["orders_imported"], report["orders_refused"]) == (6, 2, 4)
    assert [(e["row"], e["external_order_id"], e["field"]) for e in report["errors"]] == [
        (4, "PO-2", ""), (5, "PO-2", "sku"), (6, "PO-3", "qty"), (7, "PO-4", "requested_ship_date"),
        (8, "PO-5", "priority")]
    messages = {e["row"]: e["message"] for e in report["errors"]}
    assert messages[5].startswith("Unknown item SKU-NOPE")
    assert messages[4] == "Not imported: order PO-2 has errors on row(s) 5."
    assert messages[6] == "Bad quantity 'two': use a whole number from 1 to 1000000."
    assert messages[7].startswith("Bad date '2025-02-30'")
    assert messages[8].startswith("Unknown priority 'asap'")
    orders = {o["external_ref"]: o for o in seeded.get("/api/v1/orders").json}
    assert sorted(orders) == ["PO-1", "PO-6"]  # nothing of PO-2 got in
    po1 = seeded.get(f"/api/v1/orders/{orders['PO-1']['order_id']}").json
    assert (po1["priority"], po1["status"], [(l["sku"], l["qty"]) for l in po1["lines"]]) == (
        3, "allocated", [("SKU-BLUE-MUG", 6), ("SKU-KETTLE", 1)])
    assert report["order_ids"] == [orders["PO-1"]["order_id"], orders["PO-6"]["order_id"]]
    assert seeded.get(f"/api/v1/orders/imports/{report['import_id']}").json == report


def test_importing_the_same_file_again_refuses_every_order_as_a_duplicate(seeded, db_path):
    text = HEADER + "PO-9,Acme Ltd,2025-03-10,5,SKU-BLUE-MUG,1\nPO-9,Acme Ltd,2025-03-10,5,SKU-KETTLE,1\n"
    first = post_csv(seeded, text).json
    again = post_csv(seeded, text).json
    assert (first["orders_imported"], again["orders_imported"], again["orders_refused"]) == (1, 0, 1)
    assert again["errors"][0]["message"] == (
        f"Duplicate external order id PO-9: already imported as order {first['order_ids'][0]}.")
    assert [e["row"] for e in again["errors"]] == [2, 3]


def test_rows_of_one_order_must_agree_and_an_order_may_be_held_or_split(seeded, db_path):
    text = ("external_order_id,customer,requested_ship_date,sku,qty,hold_reason,allow_split\n"
            "PO-1,Acme Ltd,2025-03-10,SKU-BLUE-MUG,1,,\n"
            "PO-1,Acme Ltd,2025-03-11,SKU-KETTLE,1,,\n"
            "PO-2,Brew & Co,2025-03-10,SKU-KETTLE,1,credit check,yes\n")
    report = post_csv(seeded, text).json
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, ""), (3, "requested_ship_date")]
    [order_id] = report["order_ids"]
    held = seeded.get(f"/api/v1/orders/{order_id}").json
    assert (held["status"], held["allow_split"], held["history"][-1]["actor"]) == ("on_hold", True, "kim.orders")


def test_a_multipart_upload_works_and_an_unreadable_file_changes_nothing(seeded, db_path):
    reply = seeded.post("/api/v1/orders/imports", content_type="multipart/form-data",
                        data={"file": (io.BytesIO((HEADER + "PO-7,Acme,2025-03-10,5,SKU-KETTLE,1\n").encode()),
                                       "po7.csv")})
    assert reply.status_code == 201
    assert (reply.json["file_name"], reply.json["orders_imported"]) == ("po7.csv", 1)
    before = dump(db_path)
    missing = post_csv(seeded, "customer,sku\nAcme,SKU-KETTLE\n")
    assert (missing.status_code, missing.json["error"]) == (422, "bad_csv")
    assert "external_order_id" in missing.json["message"]
    assert post_csv(seeded, "").json["error"] == "bad_csv"
    assert seeded.post("/api/v1/orders/imports", data=b"\xff\xfe", content_type="text/csv").json["error"] == "bad_csv"
    assert seeded.post("/api/v1/orders/imports", json={"rows": []}).status_code == 415
    assert seeded.get("/api/v1/orders/imports/IMP-999999").status_code == 404
    assert dump(db_path) == before


def test_the_cli_imports_the_sample_file_with_plain_progress_lines(seeded, db_path, tmp_path):
    for sku in ("SKU-TEAPOT", "SKU-RED-MUG", "SKU-SPOON-SET"):
        assert seeded.put(f"/api/v1/items/{sku}", json={"description": sku}).status_code == 200
    out, err = io.StringIO(), io.StringIO()

    status = run_import(db_path, str(ROOT / "deploy/sample/orders.csv"), "kim.orders", out=out, err=err)

    assert status == 0
    assert out.getvalue().startswith("IMP-000001: 3 order(s) imported, 0 refused, 5 row(s) read")
    assert err.getvalue().splitlines()[-1] == "imported 5/5 rows (100%)"
    assert "\r" not in err.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "PO-8,Acme,2025-03-10,5,SKU-KETTLE,0\n")
    out = io.StringIO()
    assert run_import(db_path, str(bad), out=out, err=io.StringIO()) == 1
    assert "row 2 (PO-8) [qty]: Bad quantity '0'" in out.getvalue()


def test_the_progress_bar_redraws_one_line_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    bar = ProgressBar(screen)
    for done in (1, 2, 4):
        bar(done, 4)
    assert screen.getvalue().count("\r") == 3 and screen.getvalue().endswith("] 4/4 rows\n")
