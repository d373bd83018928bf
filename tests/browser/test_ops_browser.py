"""The central ops view in a real browser: headless Chromium (Debian's) driven by Playwright against waitress."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ops_site import ServedCentre

@pytest.fixture(scope="module")
def centre(tmp_path_factory):
    served = ServedCentre(tmp_path_factory.mktemp("ops-browser")).start().seed()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def page(browser, centre):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()


def test_the_root_lands_on_the_overview(page, centre):
    page.goto(centre.url + "/")
    expect(page).to_have_url(centre.url + "/ops/")
    expect(page.locator("h1")).to_contain_text("Network overview")
    expect(page.locator("#sites-online")).to_have_text("2 / 3")
    expect(page.locator("#newest-orders")).to_contain_text("Leeds Kitchens")


def test_a_new_order_appears_on_the_overview_without_a_reload(page, centre):
    page.goto(centre.url + "/ops/")
    before = int(page.locator("#open-orders").inner_text())
    page.evaluate("window.notReloaded = true")
    fresh = centre.order("Harbour Hotel", [("SKU-TEAPOT", 2)])
    expect(page.locator("#newest-orders")).to_contain_text(fresh["order_id"], timeout=15000)
    expect(page.locator("#open-orders")).to_have_text(str(before + 1))
    assert page.evaluate("window.notReloaded") is True


def test_an_orders_history_is_one_click_from_the_list(page, centre):
    page.goto(centre.url + "/ops/orders?customer=glasgow")
    page.get_by_role("link", name=centre.shipped["order_id"]).click()
    expect(page).to_have_url(centre.url + f"/ops/orders/{centre.shipped['order_id']}")
    history = page.locator("#history")
    for status in ("received", "allocated", "picking", "picked", "shipped"):
        expect(history).to_contain_text(status)
    expect(page.locator("#events")).to_contain_text("order.status_changed")


def test_the_kpi_charts_draw(page, centre):
    page.goto(centre.url + "/ops/kpis?hours=8")
    expect(page.locator("#kpi-sites")).to_contain_text("DC03")
    canvas = page.locator("#chart-quality")
    expect(canvas).to_have_attribute("data-drawn", "true")
    painted = page.evaluate("""() => {
        const c = document.getElementById('chart-quality');
        const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
        return painted;
    }""")
    assert painted > 1000


def test_screenshots_of_the_ops_pages(page, centre, tmp_path):
    """Save a screenshot of each page (into WES_SCREENSHOTS when set, to refresh the ones in docs/)."""
    out = Path(os.environ.get("WES_SCREENSHOTS") or tmp_path)
    for name, path in (("overview", "/ops/"), ("orders", "/ops/orders"),
                       ("order", f"/ops/orders/{centre.shipped['order_id']}"), ("kpis", "/ops/kpis?hours=8"),
                       ("at-risk", "/ops/at-risk"), ("anomalies", "/ops/anomalies"), ("sync", "/ops/sync")):
        page.goto(centre.url + path)
        if name == "kpis":
            expect(page.locator("#chart-backlog")).to_have_attribute("data-drawn", "true")
        target = out / f"ops-{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
