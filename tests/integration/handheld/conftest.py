"""A real edge served over HTTP on loopback, seeded with DC01, that tests can stop and start again."""
import pytest
from handheld_support import SAMPLE_SEED, LiveEdge

from edge.bootstrap import seed_site


@pytest.fixture
def live_edge(tmp_path):
    path = str(tmp_path / "edge-DC01.db")
    seed_site(path, "DC01", str(SAMPLE_SEED))
    edge = LiveEdge(path).start()
    yield edge
    edge.stop()
