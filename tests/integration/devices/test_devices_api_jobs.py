"""Print jobs through the edge: list, show with history, confirm, reprint (same SSCC), cancel; all audited."""
from datetime import datetime, timezone
from pathlib import Path

from fake_zebra_printer import READY, STALL
from staff_client import audit_rows, dump
from test_devices_print_queue import queue_shipping_labels, ssccs_in

from edge.devices import print_queue as queue
from sync.sqlite_store import write_transaction

from devices_support import SERIES


def now():
    """The API stamps actions with the real clock; drain at or after it."""
    return datetime.now(timezone.utc)


def stall_one_job(db_path, clock, printer, dispatcher) -> int:
    """Queue a label and let the printer take it without finishing: it awaits the operator's word."""
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    printer.set_state(STALL)
    dispatcher.drain(clock.now)
    printer.set_state(READY)
    return job_id


def test_jobs_are_listed_newest_first_and_filtered(client, lead, db_path, clock, dispatcher):
    queue_shipping_labels(db_path, clock.now, 2)
    queue_shipping_labels(db_path, clock.now, 1, printer="RACK-1")
    dispatcher.drain(clock.now)
    assert [j["job_id"] for j in client.get("/api/v1/devices/print-jobs").json] == [3, 2, 1]
    sent = client.get("/api/v1/devices/print-jobs?status=sent").json
    assert [(j["job_id"], j["sscc"]) for j in sent] == [(2, SERIES.sscc(1001)), (1, SERIES.sscc(1000))]
    assert "zpl" not in sent[0]
    assert [j["job_id"] for j in client.get("/api/v1/devices/print-jobs?printer=RACK-1&limit=5").json] == [3]


def test_a_job_shows_its_outcome_history(client, lead, db_path, clock, printer, dispatcher):
    job_id = stall_one_job(db_path, clock, printer, dispatcher)
    job = client.get(f"/api/v1/devices/print-jobs/{job_id}").json
    assert job["status"] == "awaiting_confirmation" and job["sscc"] == SERIES.sscc(1000)
    assert [h["outcome"] for h in job["history"]] == ["queued", "may_have_printed"]
    assert job["history"][1]["printer"] == "PACK-1" and job["actions"] == []


def test_confirm_printed_settles_the_job(client, lead, db_path, clock, printer, dispatcher):
    job_id = stall_one_job(db_path, clock, printer, dispatcher)
    answer = client.post(f"/api/v1/devices/print-jobs/{job_id}/confirm",
                         json={"printed": True, "reason": "label is on the carton"}, headers=lead)
    assert answer.status_code == 200 and answer.json["status"] == "sent"
    assert audit_rows(db_path)[-1] == ("lee", "print_job.confirmed_printed", f"print_job:{job_id}",
                                       "label is on the carton")
    assert dispatcher.drain(now()) == 0 and len(printer.printed) == 1
    assert client.get(f"/api/v1/devices/print-jobs/{job_id}").json["actions"][0]["actor"] == "lee"


def test_confirm_not_printed_sends_the_same_label_again(client, lead, db_path, clock, printer, dispatcher):
    job_id = stall_one_job(db_path, clock, printer, dispatcher)
    answer = client.post(f"/api/v1/devices/print-jobs/{job_id}/confirm", json={"printed": False}, headers=lead)
    assert answer.status_code == 200 and answer.json["status"] == "queued"
    assert dispatcher.drain(now()) == 1
    assert ssccs_in(printer.printed) == [SERIES.sscc(1000)] * 2


def test_reprint_on_another_printer_keeps_the_sscc(client, lead, db_path, clock, printer, spare, dispatcher):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    dispatcher.drain(clock.now)
    answer = client.post(f"/api/v1/devices/print-jobs/{job_id}/reprint",
                         json={"printer": "PACK-2", "reason": "label torn"}, headers=lead)
    assert answer.status_code == 201, answer.json
    assert answer.json["reprint_of"] == job_id and answer.json["printer"] == "PACK-2"
    assert answer.json["sscc"] == SERIES.sscc(1000)
    dispatcher.drain(now())
    assert ssccs_in(spare.printed) == ssccs_in(printer.printed) == [SERIES.sscc(1000)]
    assert audit_rows(db_path)[-1] == ("lee", "print_job.reprinted", f"print_job:{job_id}", "label torn")


def test_reprint_on_its_own_printer_by_default(client, lead, db_path, clock, printer, dispatcher):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    dispatcher.drain(clock.now)
    answer = client.post(f"/api/v1/devices/print-jobs/{job_id}/reprint", json={}, headers=lead)
    assert answer.status_code == 201 and answer.json["printer"] == "PACK-1"


def test_cancel_withdraws_a_queued_job(client, lead, db_path, clock, printer, dispatcher):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    answer = client.post(f"/api/v1/devices/print-jobs/{job_id}/cancel", json={"reason": "order cancelled"},
                         headers=lead)
    assert answer.status_code == 200 and answer.json["status"] == "cancelled"
    assert dispatcher.drain(now()) == 0 and printer.printed == []
    with write_transaction(db_path) as db:
        assert queue.outcomes(db, job_id) == ["queued", "cancelled"]
    assert audit_rows(db_path)[-1][1:] == ("print_job.cancelled", f"print_job:{job_id}", "order cancelled")


def test_actions_that_do_not_fit_the_job_are_refused(client, lead, db_path, devices_path, clock, printer,
                                                     dispatcher):
    job_id = stall_one_job(db_path, clock, printer, dispatcher)
    (sent_id,) = queue_shipping_labels(db_path, clock.now, 1)
    dispatcher.drain(clock.advance(3600))
    before, devices_file = dump(db_path), Path(devices_path).read_text()
    refused = [
        ("reprint", job_id, {}, 409, "print_job_conflict", "settle it first"),
        ("confirm", sent_id, {"printed": True}, 409, "print_job_conflict", "only a job awaiting confirmation"),
        ("cancel", sent_id, {}, 409, "print_job_conflict", "cannot be cancelled"),
        ("reprint", sent_id, {"printer": "RACK-1"}, 422, "printer_mismatch", "choose a printer like PACK-1"),
        ("reprint", sent_id, {"printer": "PACK-9"}, 404, "unknown_printer", "known printers"),
        ("confirm", 999, {"printed": True}, 404, "unknown_print_job", "no print job 999"),
        ("reprint", 999, {}, 404, "unknown_print_job", "no print job 999"),
        ("cancel", 999, {}, 404, "unknown_print_job", "no print job 999"),
        ("confirm", job_id, {"printed": "yes"}, 422, "invalid_input", "printed"),
        ("confirm", job_id, {}, 422, "invalid_input", "printed"),
        ("confirm", job_id, {"printed": True, "by": "me"}, 422, "invalid_input", "by"),
        ("reprint", sent_id, {"printer": ""}, 422, "invalid_input", "printer"),
        ("cancel", job_id, {"reason": "x" * 201}, 422, "invalid_input", "reason"),
    ]
    for action, target, body, status, code, words in refused:
        answer = client.post(f"/api/v1/devices/print-jobs/{target}/{action}", json=body, headers=lead)
        assert (answer.status_code, answer.json["error"]) == (status, code), (action, target, body, answer.json)
        assert words in str(answer.json), (words, answer.json)
    answer = client.post(f"/api/v1/devices/print-jobs/{job_id}/confirm", data="{printed", headers=lead,
                         content_type="application/json")
    assert (answer.status_code, answer.json["error"]) == (400, "bad_json")
    assert client.get("/api/v1/devices/print-jobs/999").status_code == 404
    assert client.get("/api/v1/devices/print-jobs?status=lost").status_code == 422
    assert dump(db_path) == before and Path(devices_path).read_text() == devices_file
