"""Fixtures for the device layer: an edge DB with the device tables, a site config, a fake printer."""
from datetime import datetime, timedelta, timezone

import pytest
from fake_zebra_printer import FakeZebraPrinter

from edge.devices.dispatcher import PrintDispatcher
from edge.devices.migrations import apply_device_migrations
from edge.devices.registry import DeviceConfig, PrinterConfig
from protocols.devices.transports import transport_for_url
from protocols.labels import SsccSeries

SERIES = SsccSeries("7612345", 3, 1000, 1999)


class Clock:
    """A hand-moved clock: backoff is tested without sleeping."""

    def __init__(self):
        self.now = datetime(2025, 11, 25, 8, 0, tzinfo=timezone.utc)

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def db_path(tmp_path):
    path = str(tmp_path / "edge-DC01.db")
    apply_device_migrations(path)
    return path


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def printer():
    with FakeZebraPrinter() as fake:
        yield fake


def site_config(*printers: PrinterConfig) -> DeviceConfig:
    return DeviceConfig("DC01", SERIES, {p.name: p for p in printers})


def quick_transport(url):
    """Real transports with short timeouts so the whole device suite stays fast."""
    return transport_for_url(url, connect_timeout=0.5, io_timeout=0.4)


def dispatcher_for(db_path, *printers: PrinterConfig) -> PrintDispatcher:
    return PrintDispatcher(db_path, site_config(*printers), transport_factory=quick_transport)


@pytest.fixture
def spare():
    with FakeZebraPrinter() as fake:
        yield fake


@pytest.fixture
def devices_path(tmp_path, printer, spare):
    from staff_client import write_devices_file

    return write_devices_file(tmp_path / "devices.json", printer.url, spare.url, SERIES)


@pytest.fixture
def app(db_path, devices_path):
    from staff_client import make_app

    return make_app(db_path, devices_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def lead(client, db_path):
    """Headers of a logged-in lead: the session cookie is in the client, the CSRF token in X-CSRFToken."""
    from staff_client import log_in

    return log_in(client, db_path, "lee", "lead")


@pytest.fixture
def dispatcher(app):
    from staff_client import dispatcher_of

    return dispatcher_of(app, quick_transport)
