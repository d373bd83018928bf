"""Who may use the devices API: staff with a devices role, logged in, with the CSRF token on every change."""
from pathlib import Path

import pytest
from staff_client import csrf_token, dump, log_in, make_app
from test_devices_print_queue import queue_shipping_labels

CHANGES = [
    ("put", "/api/v1/devices/printers/PACK-3", {"url": "tcp://10.20.0.40:9100"}),
    ("delete", "/api/v1/devices/printers/RACK-1", {}),
    ("post", "/api/v1/devices/print-jobs/1/confirm", {"printed": True}),
    ("post", "/api/v1/devices/print-jobs/1/reprint", {}),
    ("post", "/api/v1/devices/print-jobs/1/cancel", {}),
]
READS = ["/api/v1/devices/printers", "/api/v1/devices/printers/PACK-1", "/api/v1/devices/scanners",
         "/api/v1/devices/print-jobs", "/api/v1/devices/print-jobs/1", "/api/v1/devices/print-jobs/1/preview.png",
         "/api/v1/devices/labels/item/preview.png"]


@pytest.fixture
def job(db_path, clock):
    return queue_shipping_labels(db_path, clock.now, 1)[0]


def refused_everywhere(client, headers, status, code, db_path, devices_path, reads=True):
    before, text = dump(db_path), Path(devices_path).read_text()
    for method, url, body in CHANGES:
        answer = getattr(client, method)(url, json=body, headers=headers)
        assert (answer.status_code, answer.json["error"]) == (status, code), (method, url, answer.json)
        assert answer.json["message"]
    for url in READS if reads else []:
        answer = client.get(url)
        assert (answer.status_code, answer.json["error"]) == (status, code), (url, answer.json)
    assert dump(db_path) == before and Path(devices_path).read_text() == text


def test_not_logged_in_is_401(client, db_path, devices_path, job):
    refused_everywhere(client, {"X-CSRFToken": csrf_token(client)}, 401, "not_logged_in", db_path, devices_path)


def test_a_picker_login_is_403(client, db_path, devices_path, job):
    headers = log_in(client, db_path, "pat", "picker")
    refused_everywhere(client, headers, 403, "not_allowed", db_path, devices_path)


@pytest.mark.parametrize("headers", [{}, {"X-CSRFToken": "forged"}])
def test_a_change_without_the_csrf_token_is_400(client, lead, db_path, devices_path, job, headers):
    refused_everywhere(client, headers, 400, "csrf_failed", db_path, devices_path, reads=False)


def test_integrators_and_admins_may(client, db_path, job):
    for username, role in (("ina", "integrator"), ("ada", "admin")):
        log_in(client, db_path, username, role)
        assert client.get("/api/v1/devices/printers").status_code == 200


def test_without_a_devices_file_every_endpoint_says_how_to_start(tmp_path, db_path):
    client = make_app(db_path, None).test_client()
    headers = log_in(client, db_path, "lee", "lead")
    before = dump(db_path)
    for method, url, body in CHANGES:
        answer = getattr(client, method)(url, json=body, headers=headers)
        assert (answer.status_code, answer.json["error"]) == (409, "devices_not_configured"), (url, answer.json)
    for url in READS[:-1]:
        assert client.get(url).json["error"] == "devices_not_configured"
    assert "--devices FILE" in client.get("/api/v1/devices/printers").json["message"]
    assert dump(db_path) == before


def test_the_devices_api_is_in_the_openapi_document(client):
    spec = client.get("/api/openapi.json").json
    for path in ("/api/v1/devices/printers/{name}", "/api/v1/devices/print-jobs/{job_id}/reprint",
                 "/api/v1/devices/labels/{kind}/preview.png"):
        assert path in spec["paths"], path
    put = spec["paths"]["/api/v1/devices/printers/{name}"]["put"]
    assert set(put["responses"]) >= {"200", "201", "400", "401", "403", "409", "422"}
    assert "image/png" in spec["paths"]["/api/v1/devices/print-jobs/{job_id}/preview.png"]["get"]["responses"]["200"][
        "content"]
    error = spec["components"]["schemas"]["ApiErrorV1"]["properties"]
    assert set(error) == {"code", "status", "error", "message", "errors"}
