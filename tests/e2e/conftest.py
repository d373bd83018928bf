"""The network every end-to-end test runs against: broker, centre and site as real processes."""
import pytest

from .flow import Network


@pytest.fixture
def network(tmp_path, broker):
    net = Network(tmp_path, broker).start()
    yield net
    net.stop()
