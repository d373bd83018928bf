"""One headless Chromium per test module (Debian's package, driven by Playwright; nothing is downloaded)."""
import pytest
from playwright.sync_api import sync_playwright

from dashboard_site import chromium_path

LAUNCH_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=LAUNCH_FLAGS)
        yield chromium
        chromium.close()
