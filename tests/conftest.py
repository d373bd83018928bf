"""Shared fixtures: a real Mosquitto broker on a free loopback port."""
import pytest

from deploy.mosquitto import MosquittoBroker, find_mosquitto


@pytest.fixture
def broker(tmp_path):
    if not find_mosquitto():
        pytest.fail("Mosquitto is required for this test: apt-get install mosquitto")
    with MosquittoBroker(workdir=str(tmp_path / "mqtt")) as running:
        yield running
