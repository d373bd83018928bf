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
