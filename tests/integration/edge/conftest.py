"""Fixtures for the edge API: a seeded site database, an app over it, signed-in pickers."""
import pytest
from edge_api_support import SAMPLE_SEED, CentreSimulator, FakeSync, sign_in

from edge.bootstrap import seed_site
from edge.web import create_app


@pytest.fixture
def db_path(tmp_path) -> str:
    path = str(tmp_path / "edge-DC01.db")
    seed_site(path, "DC01", str(SAMPLE_SEED))
    return path


@pytest.fixture
def centre(db_path) -> CentreSimulator:
    return CentreSimulator(db_path)


@pytest.fixture
def sync() -> FakeSync:
    return FakeSync()


@pytest.fixture
def client(db_path, sync):
    app = create_app({"SITE_ID": "DC01", "DB_PATH": db_path, "SYNC": sync, "TESTING": True, "DEVICE_AUTH": "optional"})
    return app.test_client()


@pytest.fixture
def sam(client) -> dict:
    return sign_in(client)


@pytest.fixture
def alex(client) -> dict:
    return sign_in(client, "BADGE-0002", "2345", "HH-02")
