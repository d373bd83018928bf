"""The dashboard in a real browser: headless Chromium (Debian's) driven by Playwright against a waitress server."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard_site import LEAD, PASSWORD, ServedEdge


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    served = ServedEdge(tmp_path_factory.mktemp("browser")).start()
    sam = served.sign_in("BADGE-0001", "1234", "HH-01")
    alex = served.sign_in("BADGE-0002", "2345", "HH-02")
    served.allocate("SO-1001", [("SKU-BLUE-MUG", 4), ("SKU-KETTLE", 1)], priority=1)
    served.allocate("SO-1002", [("SKU-TEAPOT", 6)], priority=2)
    served.allocate("SO-1003", [("SKU-RED-MUG", 3), ("SKU-TEA-TOWEL", 2), ("SKU-SPOON-SET", 1)], priority=3)
    served.work(sam, found=2)  # SO-1001's mugs at A-01-01: short by 2, C-01-01 has free mugs
    served.work(alex, wrong_scans=1)
    served.work(sam)
    served.work(alex, wrong_scans=3)
    served.api.get("/api/v1/tasks/next", headers=sam)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def page(browser, edge):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()


def test_login_takes_the_lead_to_the_floor(page, edge):
    page.goto(edge.url + "/")
    expect(page).to_have_url(edge.url + "/login?next=/")
    page.get_by_label("User name").fill(LEAD)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(edge.url + "/")
    expect(page.locator("nav.top")).to_contain_text("Maria Lead")
    expect(page.locator("h1")).to_contain_text("Floor")


def test_a_new_order_appears_on_the_floor_without_a_reload(page, edge):
    page.goto(edge.url + "/")
    before = int(page.locator("#tasks-open").inner_text())
    page.evaluate("window.notReloaded = true")
    edge.allocate("SO-2001", [("SKU-TEA-TOWEL", 1), ("SKU-SPOON-SET", 2)])
    expect(page.locator("#tasks-open")).to_have_text(str(before + 2), timeout=15000)
    expect(page.locator("#orders")).to_contain_text("SO-2001")
    assert page.evaluate("window.notReloaded") is True


def test_a_short_pick_is_released_to_another_location_from_the_queue(page, edge):
    page.goto(edge.url + "/exceptions")
    short = page.locator(".exception", has_text="missing at A-01-01")
    expect(short).to_contain_text("SKU-BLUE-MUG")
    short.get_by_label("Location").select_option("C-01-01")
    short.locator("form", has_text="Release").get_by_label("Reason").fill("C-01-01 has mugs")
    short.get_by_role("button", name="Release to that location").click()
    expect(page.locator(".flash.ok")).to_contain_text("released as task")
    expect(page.locator(".exception", has_text="missing at A-01-01")).to_have_count(0)
    expect(page.locator("table").last).to_contain_text("C-01-01 has mugs")


def test_the_kpi_charts_draw(page, edge):
    page.goto(edge.url + "/kpis")
    canvas = page.locator("#chart-hourly")
    expect(canvas).to_have_attribute("data-drawn", "true")
    painted = page.evaluate("""() => {
        const c = document.getElementById('chart-hourly');
        const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
        return painted;
    }""")
    assert painted > 1000


def test_screenshots_of_the_main_pages(page, edge, tmp_path):
    """Save a screenshot of each main page (into WES_SCREENSHOTS when set, to refresh the ones in docs/)."""
    out = Path(os.environ.get("WES_SCREENSHOTS") or tmp_path)
    edge.allocate("SO-0999", [("SKU-BLUE-MUG", 6)], priority=1)  # the most urgent order: Alex gets it next
    edge.work(edge.sign_in("BADGE-0002", "2345", "HH-02"), found=1)
    for name, path in (("floor", "/"), ("exceptions", "/exceptions"), ("kpis", "/kpis"), ("people", "/people"),
                       ("sync", "/sync")):
        page.goto(edge.url + path)
        if name == "kpis":
            expect(page.locator("#chart-quality")).to_have_attribute("data-drawn", "true")
        target = out / f"dashboard-{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
