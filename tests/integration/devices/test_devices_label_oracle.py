"""Render every template with the offline ZPL renderer, decode it with zxing-cpp, parse it with biip.

ZPL has no error channel: a label is only known to be right once an independent reader gets the data back.
"""
import io
from pathlib import Path

import biip
import pytest
import zxingcpp
from label_samples import GTIN, SSCC, samples

from edge.devices.preview import render_png, renderer_problem
from protocols.barcode import LOCATION, classify
from protocols.labels import Element, code128_data, datamatrix_data

from PIL import Image

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
ALL = [s for dpi in (203, 300) for s in samples(dpi)]



@pytest.fixture(autouse=True)
def renderer_installed():
    """Fail, never skip, without the renderer: `make test` installs it (deploy/install-label-renderer.sh)."""
    problem = renderer_problem()
    if problem is not None:
        pytest.fail(f"label renderer not usable: {problem}. Run `make label-renderer`.")


def decode(zpl, size, resolution):
    image = Image.open(io.BytesIO(render_png(zpl, size, resolution)))
    hits = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    return image, hits


@pytest.mark.parametrize("name,zpl,size,resolution", ALL, ids=[s[0] for s in ALL])
def test_template_matches_its_golden_file(name, zpl, size, resolution):
    assert zpl == (GOLDEN / f"{name}.zpl").read_text(encoding="utf-8")


@pytest.mark.parametrize("dpi", [203, 300])
def test_logistic_label_reads_back_sscc_gtin_lot_and_expiry(dpi):
    name, zpl, size, resolution = next(samples(dpi))
    image, hits = decode(zpl, size, resolution)
    parsed = [biip.parse(h.symbology_identifier + h.text) for h in hits]
    assert {h.symbology_identifier for h in hits} == {"]C1"}
    sscc = [p for p in parsed if p.gs1_message and p.gs1_message.element_strings.get(ai="00")]
    content = [p for p in parsed if p.gs1_message and p.gs1_message.element_strings.get(ai="02")]
    assert [p.gs1_message.element_strings.get(ai="00").value for p in sscc] == [SSCC]
    assert sscc[0].gs1_message.element_strings.get(ai="00").sscc_error is None
    message = content[0].gs1_message
    assert (message.element_strings.get(ai="02").value, message.element_strings.get(ai="37").value) == (GTIN, "12")
    assert (message.element_strings.get(ai="10").value, message.element_strings.get(ai="17").value) == ("LOT42", "261231")
    sscc_hit = next(h for h in hits if h.text.startswith("00"))
    assert sscc_hit.position.bottom_left.y > image.height * 0.7  # the SSCC goes lowest on the label
    assert all(0 <= p.x <= image.width for h in hits for p in (h.position.top_left, h.position.bottom_right))


@pytest.mark.parametrize("dpi", [203, 300])
def test_item_label_reads_back_gtin_expiry_lot_and_serial(dpi):
    _, zpl, size, resolution = list(samples(dpi))[2]
    _, hits = decode(zpl, size, resolution)
    assert [h.symbology_identifier for h in hits] == ["]d2"]
    scan = classify(hits[0].symbology_identifier + hits[0].text)
    assert (scan.value, scan.expiry, scan.lot, scan.serial) == (GTIN, "261231", "LOT42", "SER1")


@pytest.mark.parametrize("dpi", [203, 300])
def test_location_label_resolves_to_its_location(dpi):
    _, zpl, size, resolution = list(samples(dpi))[1]
    _, hits = decode(zpl, size, resolution)
    scan = classify(hits[0].symbology_identifier + hits[0].text)
    assert (scan.kind, scan.value) == (LOCATION, "LOC-A-01-03")


CROSS_CHECK = [
    [Element("00", SSCC)],
    [Element("01", GTIN), Element("17", "261231"), Element("10", "LOT42"), Element("21", "SER1")],
    [Element("02", GTIN), Element("37", "7"), Element("10", "ABC123")],
    [Element("01", GTIN), Element("10", "A1"), Element("21", "12345")],  # odd digit run after letters
]


@pytest.mark.parametrize("elements", CROSS_CHECK, ids=lambda es: "+".join(e.ai for e in es))
def test_our_encoding_reads_the_same_as_zxings_own_gs1_generator(elements):
    hri_text = "".join(f"({e.ai}){e.value}" for e in elements)
    reference = zxingcpp.create_barcode(hri_text, zxingcpp.BarcodeFormat.Code128, gs1=True)
    expected = zxingcpp.read_barcodes(reference.to_image(scale=3), text_mode=zxingcpp.TextMode.Plain)[0]
    ours = (f"^XA^CI28^PW812^LL600^FO40,40^BY2^BCN,200,N,N,N^FD{code128_data(elements)}^FS"
            f"^FO40,300^BXN,6,200,,,,_^FD{datamatrix_data(elements)}^FS^XZ")
    from protocols.labels import LabelSize, PrinterResolution
    _, hits = decode(ours, LabelSize(101.6, 76.2), PrinterResolution(203))
    by_symbology = {h.symbology_identifier: h for h in hits}
    assert by_symbology["]C1"].text == expected.text
    hri = biip.parse(expected.symbology_identifier + expected.text).gs1_message.as_hri()
    assert biip.parse("]d2" + by_symbology["]d2"].text).gs1_message.as_hri() == hri == hri_text
