"""The API process with ingest off (`wes-central serve --no-ingest`): sync health comes from the workers' beats."""
from central.bootstrap import build_central
from sync.leader_lease import LeaderLease


def test_sync_health_lists_the_live_ingest_workers_and_the_ops_page_renders(tmp_path):
    db = str(tmp_path / "central.db")
    central = build_central(db, "mqtt://127.0.0.1:1", ingest=False)  # never connects: no endpoint is built
    client = central.app.test_client()
    assert central.endpoint is None

    idle = client.get("/api/v1/sync").get_json()
    assert idle["configured"] is True and idle["connected"] is False and idle["ingest_workers"] == []

    lease = LeaderLease(db, "ingest-1")
    lease.renew()
    lease.beat(True, 42, 0, "2026-11-25T09:00:00+00:00", caught_up_at=0.0)
    health = client.get("/api/v1/sync").get_json()
    assert health["connected"] is True and health["parked_batches"] == 0
    assert [(w["worker"], w["leader"], w["applied"]) for w in health["ingest_workers"]] == [("ingest-1", True, 42)]

    page = client.get("/ops/sync")
    assert page.status_code == 200 and "not running in this process" not in page.get_data(as_text=True)
