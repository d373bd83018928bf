"""Two ingest worker endpoints behind the broker's logins share a site's events; one leads, a clean stop hands over."""
import pytest
from sqlite_utils import Database

from deploy.mosquitto import MosquittoBroker
from deploy.mqtt_access import write_access_kit
from deploy.processes import wait_until
from sync.leader_lease import ingest_workers
from sync.shared_ingest import SharedIngestEndpoint
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction


def migrated(path: str) -> str:
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.close()
    return path


def ledger(db: str) -> list[int]:
    with read_connection(db) as conn:
        return [r[0] for r in conn.execute("SELECT seq FROM sync_inbox WHERE stream = 'DC01' ORDER BY seq")]


def add_events(db: str, count: int) -> None:
    with write_transaction(db) as tx:
        append_outbox(tx, "up", [OutgoingEvent("stock.changed", {"qty_delta": -1}) for _ in range(count)])


@pytest.fixture
def secured(tmp_path):
    logins = write_access_kit(tmp_path / "kit", ["DC01"])
    with MosquittoBroker(workdir=str(tmp_path / "mqtt"), access_kit=str(tmp_path / "kit")) as broker:
        yield broker, logins


def test_workers_with_the_centre_login_share_the_events_and_a_clean_stop_hands_the_lead_over(tmp_path, secured):
    broker, logins = secured
    hub_db, site_db = migrated(str(tmp_path / "central.db")), migrated(str(tmp_path / "site.db"))
    workers = [SharedIngestEndpoint(hub_db, broker.url, lambda db, site, event: None, worker_id=n, lease_ttl=1.0,
                                    username="central", password=logins["central"]) for n in ("1", "2")]
    site = SiteSyncEndpoint(site_db, "DC01", broker.url, lambda db, stream, event: None, resend_after=2,
                            username="DC01", password=logins["DC01"])
    for worker in workers:
        worker.start()
    try:
        wait_until(lambda: all(w.transport.connected for w in workers) and any(w.leading for w in workers), 15,
                   "the workers to connect and one to lead")
        add_events(site_db, 1500)
        site.start()
        wait_until(lambda: len(ledger(hub_db)) == 1500, 30, "the first events at the centre")
        first = next(w for w in workers if w.leading)
        assert [w.leading for w in workers].count(True) == 1
        assert first.peer_online("DC01") is True  # the leader follows the site's presence

        first.stop()
        other = next(w for w in workers if w is not first)
        wait_until(lambda: other.leading and other.peer_online("DC01"), 15, "the other worker to lead")
        add_events(site_db, 500)
        site.nudge()
        wait_until(lambda: len(ledger(hub_db)) == 2000, 30, "the later events at the centre")

        assert ledger(hub_db) == list(range(1, 2001))
        assert [w["worker"] for w in ingest_workers(hub_db)] == [other.worker]  # the stopped one left the list
        assert site.central_online is True
        assert site.outbox.acked_through() == 2000
    finally:
        site.stop()
        for worker in workers:
            if worker.transport.connected:
                worker.stop()
