"""Fixtures for the centre's integration tests: an app on a fresh database (SQLite or PostgreSQL), fake sync."""
import pytest

from central.web import create_app
from central_support import KETTLE, MUG, FakeSync


@pytest.fixture
def db_path(central_db):
    return central_db


@pytest.fixture
def sync():
    return FakeSync()


@pytest.fixture
def app(db_path, sync):
    return create_app({"DB_PATH": db_path, "SYNC": sync})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def seeded(client):
    """Register DC01 and DC02 and two items through the API."""
    for site_id, name in (("DC01", "Leeds"), ("DC02", "Bristol")):
        assert client.post("/api/v1/sites", json={"site_id": site_id, "name": name}).status_code == 201
    assert client.put("/api/v1/items/SKU-BLUE-MUG", json=MUG).status_code == 200
    assert client.put("/api/v1/items/SKU-KETTLE", json=KETTLE).status_code == 200
    return client
