"""Packing through the edge API: the carton's SSCC label reaches a fake Zebra, even after the printer was down."""
import json
import sqlite3
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from devices_support import SERIES, quick_transport

from edge.adapters.central_inbox import apply_command
from edge.bootstrap import seed_site
from edge.devices import print_queue as queue
from edge.devices.dispatcher import PrintDispatcher
from edge.devices.print_worker import PrintQueueWorker
from edge.devices.registry import RegistryError
from edge.web import create_app
from sync.sqlite_store import write_transaction

SAMPLE_SEED = Path(__file__).resolve().parents[3] / "deploy" / "sample" / "DC01.json"
MUG = {"sku": "SKU-BLUE-MUG", "description": "Blue mug 350 ml", "gtins": ["05012345678900"]}


def devices_file(tmp_path, printer_url: str, site_id: str = "DC01", height_mm: float = 152.4) -> str:
    path = tmp_path / "devices.json"
    path.write_text(json.dumps({
        "site_id": site_id,
        "sscc": {"company_prefix": SERIES.company_prefix, "extension_digit": SERIES.extension_digit,
                 "first_serial": SERIES.first_serial, "last_serial": SERIES.last_serial},
        "printers": [{"name": "RACK-1", "url": "tcp://127.0.0.1:9", "height_mm": 50.8},
                     {"name": "PACK-1", "url": printer_url, "station": "PACK", "height_mm": height_mm}]}))
    return str(path)


@pytest.fixture
def site_db(tmp_path) -> str:
    path = str(tmp_path / "edge-DC01-site.db")
    seed_site(path, "DC01", str(SAMPLE_SEED))
    return path


def allocate(db_path: str, order_id: str = "SO-1001") -> None:
    """Deliver order.allocated as the sync inbox would: 2 blue mugs for Tea Rooms Ltd."""
    event = {"seq": 1, "event_id": str(uuid.uuid4()), "type": "order.allocated", "occurred_at": "", "recorded_at": "",
             "device_id": None, "op_id": None,
             "data": {"order_id": order_id, "customer": "Tea Rooms Ltd", "priority": 5,
                      "requested_ship_date": "2025-03-04",
                      "lines": [{"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": 2, "item": MUG}]}}
    with write_transaction(db_path) as db:
        apply_command(db, "DC01", event)


def pick_and_close(client, order_id: str = "SO-1001"):
    """Sign in, pick the order's only task, close its carton; return the carton response."""
    signed = client.post("/api/v1/sessions", json={"badge": "BADGE-0001", "pin": "1234", "device_id": "HH-01"})
    headers = {"Authorization": f"Bearer {signed.json['token']}"}
    task = client.get("/api/v1/tasks/next", headers=headers).json["task"]
    client.post(f"/api/v1/tasks/{task['task_id']}/location-scan", headers=headers,
                json={"op_id": str(uuid.uuid4()), "barcode": task["location_barcode"]})
    pick = client.post(f"/api/v1/tasks/{task['task_id']}/picks", headers=headers,
                       json={"op_id": str(uuid.uuid4()), "barcode": "SKU-BLUE-MUG", "qty": 2})
    assert pick.json["order_status"] == "picked", pick.json
    return client.post(f"/api/v1/orders/{order_id}/cartons", headers=headers, json={"op_id": str(uuid.uuid4())})


def packing_app(site_db: str, devices_path: str):
    return create_app({"SITE_ID": "DC01", "DB_PATH": site_db, "TESTING": True, "DEVICE_AUTH": "optional",
                       "DEVICE_CONFIG": devices_path})


def stored(db_path: str, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_closing_a_carton_prints_its_sscc_label_through_the_worker(tmp_path, site_db, printer):
    app = packing_app(site_db, devices_file(tmp_path, printer.url))
    allocate(site_db)
    carton = pick_and_close(app.test_client())
    sscc = SERIES.sscc(SERIES.first_serial)
    assert (carton.status_code, carton.json["sscc"]) == (201, sscc)
    assert stored(site_db, "SELECT carton_id, sscc FROM cartons") == [(carton.json["carton_id"], sscc)]
    (closed,) = stored(site_db, "SELECT data FROM sync_outbox WHERE type = 'carton.closed'")
    assert json.loads(closed[0])["sscc"] == sscc
    assert stored(site_db, "SELECT printer, status, sscc FROM edge_print_jobs") == [("PACK-1", "queued", sscc)]

    devices = app.extensions["wes_edge"].devices
    worker = PrintQueueWorker(PrintDispatcher(site_db, devices, transport_factory=quick_transport), interval=0.05)
    worker.start()
    try:
        assert wait_for(lambda: printer.printed), "the label never reached the printer"
    finally:
        worker.stop()
    assert not worker.health()["running"] and worker.health()["last_error"] == ""
    (zpl,) = printer.printed
    assert f">;>800{sscc}".encode() in zpl and b"Tea Rooms Ltd" in zpl and b"SO-1001" in zpl
    assert stored(site_db, "SELECT status FROM edge_print_jobs") == [("sent",)]


def test_printer_down_carton_still_closes_and_the_label_prints_when_it_is_back(tmp_path, site_db, printer):
    printer.refuse()
    devices_path = devices_file(tmp_path, printer.url)
    app = packing_app(site_db, devices_path)
    allocate(site_db)
    carton = pick_and_close(app.test_client())
    assert (carton.status_code, carton.json["order_status"]) == (201, "packed")

    dispatcher = PrintDispatcher(site_db, app.extensions["wes_edge"].devices, transport_factory=quick_transport)
    now = datetime.now(timezone.utc)
    assert dispatcher.drain(now) == 0
    with write_transaction(site_db) as db:
        (job,) = queue.jobs(db)
        assert (job.status, job.sscc) == (queue.QUEUED, carton.json["sscc"])
    assert printer.printed == []

    printer.accept_again()
    assert dispatcher.drain(now + timedelta(seconds=60)) == 1
    (zpl,) = printer.printed
    assert carton.json["sscc"].encode() in zpl
    with write_transaction(site_db) as db:
        assert queue.outcomes(db, job.job_id) == ["queued", "sent"]


def test_without_devices_config_no_sscc_and_no_job(site_db):
    app = create_app({"SITE_ID": "DC01", "DB_PATH": site_db, "TESTING": True, "DEVICE_AUTH": "optional"})
    allocate(site_db)
    carton = pick_and_close(app.test_client())
    assert (carton.status_code, carton.json["sscc"]) == (201, "")
    (closed,) = stored(site_db, "SELECT data FROM sync_outbox WHERE type = 'carton.closed'")
    assert "sscc" not in json.loads(closed[0])


def test_devices_config_of_another_site_or_too_small_pack_stock_is_refused_at_start(tmp_path, site_db, printer):
    with pytest.raises(RegistryError, match="for site DC02, not DC01"):
        packing_app(site_db, devices_file(tmp_path, printer.url, site_id="DC02"))
    with pytest.raises(RegistryError, match="100 x 148 mm"):
        packing_app(site_db, devices_file(tmp_path, printer.url, height_mm=50.8))


def test_a_registry_edit_through_the_edge_moves_packing_to_another_printer(tmp_path, site_db, printer, spare):
    from staff_client import log_in

    app = packing_app(site_db, devices_file(tmp_path, printer.url))
    client = app.test_client()
    lead = log_in(client, site_db, "lee", "lead")
    assert client.put("/api/v1/devices/printers/PACK-2", json={"url": spare.url, "station": "PACK"},
                      headers=lead).status_code == 201
    assert client.put("/api/v1/devices/printers/PACK-1", json={"url": printer.url, "station": ""},
                      headers=lead).status_code == 200
    allocate(site_db)
    carton = pick_and_close(client)
    assert stored(site_db, "SELECT printer, sscc FROM edge_print_jobs") == [("PACK-2", carton.json["sscc"])]
