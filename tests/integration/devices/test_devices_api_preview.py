"""Label previews over HTTP through the offline renderer, and a clear 503 when it is not installed."""
import io

import pytest
import zxingcpp
from PIL import Image
from test_devices_print_queue import queue_shipping_labels

from edge.devices.preview import RENDERER_ENV, renderer_problem

from devices_support import SERIES


@pytest.fixture
def renderer():
    assert renderer_problem() is None, f"{renderer_problem()}: run `make label-renderer`"


def near(size: tuple[int, int], dots: tuple[int, int]) -> bool:
    """The renderer rounds the label up to whole dots; allow that."""
    return all(abs(a - b) <= 3 for a, b in zip(size, dots))


def decoded(png: bytes) -> set[str]:
    return {hit.text for hit in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))}


def test_a_job_preview_shows_its_sscc(client, lead, db_path, clock, renderer):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1)
    answer = client.get(f"/api/v1/devices/print-jobs/{job_id}/preview.png")
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    image = Image.open(io.BytesIO(answer.data))
    assert near(image.size, (812, 1218))  # 4 x 6 in at 8 dots/mm, as PACK-1 prints it
    assert any(SERIES.sscc(1000) in text for text in decoded(answer.data))


def test_a_sample_label_preview_at_300_dpi(client, lead, renderer):
    answer = client.get("/api/v1/devices/labels/location/preview.png?dpi=300")
    assert answer.status_code == 200
    assert near(Image.open(io.BytesIO(answer.data)).size, (1219, 609))  # 4 x 2 in at 12 dots/mm
    assert "LOC-A-01-03" in decoded(answer.data)


def test_preview_refusals(client, lead, db_path, clock):
    assert client.get("/api/v1/devices/labels/pallet/preview.png").json["error"] == "unknown_label_kind"
    answer = client.get("/api/v1/devices/labels/item/preview.png?dpi=150")
    assert (answer.status_code, answer.json["error"]) == (422, "invalid_input")
    answer = client.get("/api/v1/devices/print-jobs/7/preview.png")
    assert (answer.status_code, answer.json["error"]) == (404, "unknown_print_job")


def test_preview_of_a_job_whose_printer_was_removed(client, lead, db_path, clock, dispatcher):
    (job_id,) = queue_shipping_labels(db_path, clock.now, 1, printer="RACK-1")
    client.post(f"/api/v1/devices/print-jobs/{job_id}/cancel", json={}, headers=lead)
    assert client.delete("/api/v1/devices/printers/RACK-1", headers=lead).status_code == 200
    answer = client.get(f"/api/v1/devices/print-jobs/{job_id}/preview.png")
    assert answer.status_code == 409 and "no longer in the registry" in answer.json["message"]


def test_without_the_renderer_previews_say_how_to_install_it(client, lead, tmp_path, monkeypatch):
    monkeypatch.setenv(RENDERER_ENV, str(tmp_path / "render_zpl.cjs"))
    answer = client.get("/api/v1/devices/labels/item/preview.png")
    assert (answer.status_code, answer.json["error"]) == (503, "renderer_unavailable")
    assert "install-label-renderer.sh" in answer.json["message"]
