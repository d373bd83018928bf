"""The Devices page of the dashboard: printers with live status, the queue with its actions, previews."""
from fake_zebra_printer import READY, STALL
from staff_client import log_in
from test_devices_print_queue import queue_shipping_labels

from devices_support import SERIES


def test_the_page_shows_printers_scanners_and_the_queue(client, lead, db_path, clock, printer, dispatcher):
    (stalled,) = queue_shipping_labels(db_path, clock.now, 1)
    printer.set_state(STALL)
    dispatcher.drain(clock.now)
    printer.set_state(READY)
    (sent,) = queue_shipping_labels(db_path, clock.now, 1, printer="PACK-2")
    dispatcher.drain(clock.advance(1))
    answer = client.get("/devices/printers")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert '<meta name="csrf-token" content="' in html and "X-CSRFToken" in html
    assert 'id="printer-PACK-1"' in html and '<td class="offline">offline</td>' in html
    assert 'id="printer-PACK-2"' in html and '<td class="online">online</td>' in html
    assert "PACK-SCAN-1" in html and "missing" in html  # DOCK-SCAN-1's port is not there
    assert f'data-job="{stalled}" data-action="confirm" data-printed="false"' in html
    assert f'data-job="{stalled}" data-action="cancel"' in html
    assert f'data-job="{sent}" data-action="reprint"' in html and SERIES.sscc(1001) in html
    reprint_choice = html.split(f'id="reprint-on-{sent}"', 1)[1].split("</select>", 1)[0]
    assert reprint_choice.count("<option>") == 2 and "RACK-1" not in reprint_choice  # 4x6 printers only
    assert f'src="/api/v1/devices/print-jobs/{sent}/preview.png"' in html
    assert 'fetch("/api/v1/devices/print-jobs/" + job' in html


def test_the_page_needs_a_devices_role(client, db_path):
    answer = client.get("/devices/printers")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    log_in(client, db_path, "pat", "picker")
    assert client.get("/devices/printers").status_code == 403
