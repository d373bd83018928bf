"""Fixtures for the device layer: an edge DB with the device tables, a site config, a fake printer."""
import pytest
from devices_support import SERIES, Clock, quick_transport
from fake_zebra_printer import FakeZebraPrinter

from edge.devices.migrations import apply_device_migrations


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
