"""A short fault-injection run: kills and restarts of the site, the centre and the broker lose nothing."""
from deploy.chaos import run


def test_random_kills_and_restarts_keep_every_invariant(tmp_path):
    result = run(seconds=20, orders=15, seed=5, workdir=tmp_path)
    failed = {name: value for name, value in result.items() if value is False}
    assert failed == {}, result
    assert sum(result["faults"].values()) >= 5
    assert result["events"] > 100
