"""The printer registry through the edge: listed with live state, edited, saved and swapped in without a restart."""
from pathlib import Path

from fake_zebra_printer import PAPER_OUT
from staff_client import audit_rows, dump
from test_devices_print_queue import queue_shipping_labels

from edge.devices import print_queue as queue
from edge.devices.registry import load_device_config
from sync.sqlite_store import write_transaction

SPARE_4X6 = {"url": "tcp://10.20.0.40:9100", "dpi": 203, "width_mm": 101.6, "height_mm": 152.4, "station": "PACK"}


def unchanged(db_path, devices_path):
    """Snapshot the DB and the devices file; call the result to assert neither changed."""
    before, text = dump(db_path), Path(devices_path).read_text()

    def check():
        assert dump(db_path) == before
        assert Path(devices_path).read_text() == text
    return check


def test_printers_are_listed_with_live_state(client, lead, db_path, clock, printer, dispatcher):
    queue_shipping_labels(db_path, clock.now, 2)
    printer.set_state(PAPER_OUT)
    dispatcher.config.printers["PACK-2"]  # the live registry is what the dispatcher reads
    answer = client.get("/api/v1/devices/printers")
    assert answer.status_code == 200
    assert [p["state"] for p in answer.json["printers"]] == ["unknown"] * 3
    with write_transaction(db_path) as db:  # park the spare so the jobs stay with PACK-1
        for job in queue.jobs(db):
            queue.update_job(db, job.job_id, clock.now, attempts=1)
    dispatcher.drain(clock.now)
    pack = client.get("/api/v1/devices/printers/PACK-1").json
    assert pack["state"] == "offline" and pack["last_problem"] == "media out: load labels"
    assert pack["next_poll_at"] > clock.now.isoformat() and pack["jobs_queued"] == 2
    assert pack["jobs_awaiting_confirmation"] == 0 and pack["fallback"] == "PACK-2"


def test_scanners_show_whether_their_port_is_there(client, lead):
    answer = client.get("/api/v1/devices/scanners")
    assert {s["name"]: s["port"] for s in answer.json} == {"PACK-SCAN-1": "present", "DOCK-SCAN-1": "missing"}


def test_adding_a_printer_saves_the_file_audits_and_needs_no_restart(app, client, lead, db_path, devices_path):
    answer = client.put("/api/v1/devices/printers/PACK-3", json={**SPARE_4X6, "reason": "third pack bench"},
                        headers=lead)
    assert answer.status_code == 201, answer.json
    assert answer.json["created"] is True and answer.json["printer"]["url"] == SPARE_4X6["url"]
    assert load_device_config(devices_path).printers["PACK-3"].url == SPARE_4X6["url"]
    assert "PACK-3" in app.extensions["wes_edge"].devices.printers
    assert load_device_config(devices_path).scanners["PACK-SCAN-1"].profile == "zebra-serial"  # kept on save
    assert audit_rows(db_path)[-1] == ("lee", "printer.added", "printer:PACK-3", "third pack bench")
    assert not list(Path(devices_path).parent.glob(".devices.json.*"))  # no temp file left behind


def test_a_replaced_printer_takes_the_next_job(client, lead, db_path, clock, printer, spare, dispatcher):
    """The pack printer moves to another address: the queued label goes there on the next drain."""
    queue_shipping_labels(db_path, clock.now, 1)
    printer.refuse()
    with write_transaction(db_path) as db:
        queue.update_job(db, 1, clock.now, attempts=1)  # already tried once: no fallback, it waits for PACK-1
    body = {"url": spare.url, "station": "PACK", "fallback": "PACK-2", "reason": "moved to bench 2"}
    answer = client.put("/api/v1/devices/printers/PACK-1", json=body, headers=lead)
    assert answer.status_code == 200 and answer.json["created"] is False
    assert dispatcher.drain(clock.advance(1)) == 1
    assert len(spare.printed) == 1
    assert audit_rows(db_path)[-1][:3] == ("lee", "printer.replaced", "printer:PACK-1")


def test_removing_an_idle_printer(client, lead, db_path, devices_path):
    answer = client.delete("/api/v1/devices/printers/RACK-1", json={"reason": "sent for repair"}, headers=lead)
    assert answer.status_code == 200 and answer.json == {"removed": "RACK-1", "warnings": []}
    assert "RACK-1" not in load_device_config(devices_path).printers
    assert audit_rows(db_path)[-1] == ("lee", "printer.removed", "printer:RACK-1", "sent for repair")


def test_removing_the_last_pack_printer_warns(client, lead):
    client.put("/api/v1/devices/printers/PACK-1", json={"url": "tcp://10.20.0.31:9100", "station": "PACK"},
               headers=lead)
    assert client.delete("/api/v1/devices/printers/PACK-2", headers=lead).status_code == 200
    answer = client.delete("/api/v1/devices/printers/PACK-1", headers=lead)
    assert answer.status_code == 200 and "no labels print" in answer.json["warnings"][0]


REFUSED_EDITS = [  # one login for all cases: logins are slow on purpose (argon2)
    ("PACK-3", {**SPARE_4X6, "dpi": 600}, "dpi"),
    ("PACK-3", {**SPARE_4X6, "url": "http://10.20.0.40/print"}, "neither tcp://host:port nor a serial port"),
    ("PACK-3", {**SPARE_4X6, "url": "tcp://:9100"}, "not tcp://host:port"),
    ("PACK-3", {**SPARE_4X6, "url": "tcp://10.20.0.40:99999"}, "bad port"),
    ("PACK-3", {**SPARE_4X6, "fallback": "PACK-9"}, "not in the registry"),
    ("PACK-3", {**SPARE_4X6, "fallback": "RACK-1"}, "same resolution and label size"),
    ("PACK-3", {**SPARE_4X6, "fallback": "PACK-3"}, "itself"),
    ("PACK-2", {**SPARE_4X6, "height_mm": 101.6}, "falls back to PACK-2"),
    ("PACK-1", {**SPARE_4X6, "height_mm": 101.6}, "4 x 6 in"),
    ("PACK 3", SPARE_4X6, "name"),
    ("PACK-3", {**SPARE_4X6, "width_mm": 5}, "width_mm"),
    ("PACK-3", {**SPARE_4X6, "colour": "red"}, "colour"),
    ("PACK-3", {"dpi": 203}, "url"),
    ("PACK-3", {**SPARE_4X6, "dpi": "203"}, "dpi"),
]


def test_a_printer_that_does_not_fit_is_refused(client, lead, db_path, devices_path):
    check = unchanged(db_path, devices_path)
    for name, body, words in REFUSED_EDITS:
        answer = client.put(f"/api/v1/devices/printers/{name}", json=body, headers=lead)
        assert answer.status_code == 422, (name, body, answer.json)
        assert answer.json["error"] in ("invalid_printer", "invalid_input")
        assert words in str(answer.json), (words, answer.json)
    check()


def test_removing_a_printer_jobs_wait_for_is_refused(client, lead, db_path, devices_path, clock):
    queue_shipping_labels(db_path, clock.now, 1, printer="PACK-2")
    check = unchanged(db_path, devices_path)
    answer = client.delete("/api/v1/devices/printers/PACK-2", headers=lead)
    assert answer.status_code == 409 and answer.json["error"] == "printer_busy"
    assert "PACK-1 fall(s) back to PACK-2" in answer.json["message"]
    client.put("/api/v1/devices/printers/PACK-1", json={"url": "tcp://10.20.0.31:9100", "station": "PACK"},
               headers=lead)
    check = unchanged(db_path, devices_path)
    answer = client.delete("/api/v1/devices/printers/PACK-2", headers=lead)
    assert answer.status_code == 409 and "1 print job(s) wait for PACK-2" in answer.json["message"]
    check()


def test_unknown_printer_is_404(client, lead, db_path, devices_path):
    check = unchanged(db_path, devices_path)
    assert client.get("/api/v1/devices/printers/PACK-9").json["error"] == "unknown_printer"
    answer = client.delete("/api/v1/devices/printers/PACK-9", headers=lead)
    assert answer.status_code == 404 and "known printers: PACK-1, PACK-2, RACK-1" in answer.json["message"]
    check()
