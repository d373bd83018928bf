"""Helpers for the tests in this folder, under a name of their own.

Every test folder has a conftest.py, so `from conftest import` found another folder's when several ran together.
"""
from datetime import datetime, timedelta, timezone

from edge.devices.dispatcher import PrintDispatcher
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


def site_config(*printers: PrinterConfig) -> DeviceConfig:
    return DeviceConfig("DC01", SERIES, {p.name: p for p in printers})


def quick_transport(url):
    """Real transports with short timeouts so the whole device suite stays fast."""
    return transport_for_url(url, connect_timeout=0.5, io_timeout=0.4)


def dispatcher_for(db_path, *printers: PrinterConfig) -> PrintDispatcher:
    return PrintDispatcher(db_path, site_config(*printers), transport_factory=quick_transport)
