"""Two central ingest workers share a site's events through an MQTT shared subscription; one is killed mid-stream.

Real Mosquitto, the API (`wes-central serve --no-ingest`) and two `wes-central ingest-worker` processes on one
SQLite file; the site is the real sync sender on a real SQLite outbox, written while it streams.
"""
import json
import sqlite3
import threading

import paho.mqtt.client as mqtt
import pytest
from sqlite_utils import Database

from deploy.mosquitto import free_port
from deploy.processes import SAMPLE_DIR, IngestWorkerProcess, ServiceProcess, http_json, stock_map, wait_until
from sync.batch_codec import encode_batch
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import (OutgoingEvent, SqliteOutboxStore, append_outbox, connect, sync_migrations,
                               write_transaction)

SITE = "DC01"
EVENTS, PER_COMMIT = 4000, 40
PLACES = [("A-01-01", "SKU-BLUE-MUG"), ("A-01-02", "SKU-KETTLE"), ("B-02-01", "SKU-TEAPOT")]


def stock_event(n: int) -> OutgoingEvent:
    location, sku = PLACES[n % len(PLACES)]
    qty, reason = (5, "receive") if n % 4 else (-1, "pick")
    return OutgoingEvent("stock.changed", {"location": location, "sku": sku, "lot": "", "qty_delta": qty,
                                           "reason": reason, "ref": f"E2E-{n}"}, device_id="HH-E2E-01")


class StreamingSite:
    """The site's sync sender on a real SQLite outbox, plus a writer adding events while it streams."""

    def __init__(self, db: str, mqtt_url: str):
        conn = connect(db)
        sync_migrations.apply(Database(conn))
        conn.close()
        self.db, self.commands = db, []
        self.endpoint = SiteSyncEndpoint(db, SITE, mqtt_url, self._apply_command, resend_after=2)
        self.writer = threading.Thread(target=self._write, daemon=True)

    def _apply_command(self, db, stream, event) -> None:
        self.commands.append((event["type"], event["data"].get("order_id")))

    def _write(self) -> None:
        for start in range(0, EVENTS, PER_COMMIT):
            with write_transaction(self.db) as db:
                append_outbox(db, "up", [stock_event(n) for n in range(start, start + PER_COMMIT)])
            self.endpoint.nudge()
            threading.Event().wait(0.02)  # a busy site's group commits, not one backlog

    def outbox(self) -> list[tuple]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute("SELECT seq, event_id, data FROM sync_outbox WHERE stream = 'up'"
                                " ORDER BY seq").fetchall()

    def stock(self) -> dict:
        """The site's own view: the sum of the deltas it sent."""
        totals: dict[tuple, int] = {}
        for _, _, data in self.outbox():
            event = json.loads(data)
            key = (event["location"], event["sku"], event["lot"])
            totals[key] = totals.get(key, 0) + event["qty_delta"]
        return {key: qty for key, qty in totals.items() if qty}

    def received_order(self, order_id: str) -> bool:
        return ("order.allocated", order_id) in self.commands


@pytest.fixture
def centre(tmp_path, broker):
    db = str(tmp_path / "central.db")
    api = ServiceProcess("central", ["--db", db, "--mqtt-url", broker.url, "--seed", str(SAMPLE_DIR / "catalogue.json"),
                                     "--no-ingest"], free_port(), tmp_path / "central.log")
    worker_args = ("--lease-seconds", "2", "--reorder-timeout", "2", "--resend-after", "2")
    workers = {n: IngestWorkerProcess(n, db, broker.url, tmp_path / f"worker-{n}.log", *worker_args)
               for n in ("1", "2")}
    try:
        api.start()
        for worker in workers.values():
            worker.start()
        yield db, api, workers
    finally:
        for worker in workers.values():
            worker.stop()
        api.stop()


def ledger(db: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT seq, event_id FROM sync_inbox WHERE stream = ? ORDER BY seq", [SITE]).fetchall()


def leader(db: str) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT holder FROM sync_leases WHERE name = 'hub-leader'").fetchone()
    return row[0] if row else None


def parked_so_far(db: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COALESCE(SUM(parked), 0) FROM sync_ingest_workers").fetchone()[0]


def order(api: ServiceProcess, ref: str) -> str:
    status, body = http_json("POST", f"{api.url}/api/v1/orders", {
        "external_ref": ref, "customer": "Tea Rooms Ltd", "priority": 3, "requested_ship_date": "2026-12-01",
        "lines": [{"sku": "SKU-BLUE-MUG", "qty": 1}]})
    assert status == 201, body
    return body["order_id"]


def test_killing_the_leading_worker_mid_stream_loses_nothing_and_the_survivor_takes_over(tmp_path, broker, centre):
    db, api, workers = centre
    site = StreamingSite(str(tmp_path / "site.db"), broker.url)
    site.endpoint.start()
    try:
        site.writer.start()
        wait_until(lambda: len(ledger(db)) >= 200, 60, "the first events at the centre")
        first = order(api, "SHARED-1")
        wait_until(lambda: site.received_order(first), 30, "the leader to stream the first order to the site")

        wait_until(lambda: len(ledger(db)) >= 1000, 60, "a thousand events at the centre")
        old = leader(db)
        workers[old.removeprefix("ingest-")].kill()
        survivor = next(w for n, w in workers.items() if f"ingest-{n}" != old)
        assert len(ledger(db)) < EVENTS  # killed mid-stream

        second = order(api, "SHARED-2")
        wait_until(lambda: site.received_order(second), 30, "the survivor to stream the second order to the site")
        site.writer.join(60)
        wait_until(lambda: len(ledger(db)) == EVENTS, 60, "every event at the centre")

        sent = [(seq, event_id) for seq, event_id, _ in site.outbox()]
        assert ledger(db) == sent and len(sent) == EVENTS
        assert len({event_id for _, event_id in ledger(db)}) == EVENTS
        status, body = http_json("GET", f"{api.url}/api/v1/sites/{SITE}/stock")
        assert status == 200 and stock_map(body["stock"]) == site.stock()
        assert leader(db) == f"ingest-{survivor.worker_id}"
        health = wait_until(lambda: (h := http_json("GET", f"{api.url}/api/v1/sync")[1])["ingest_workers"] == [
            w for w in h["ingest_workers"] if w["worker"] == leader(db)] and h, 30, "the dead worker to drop off")
        assert [(w["worker"], w["leader"], w["connected"]) for w in health["ingest_workers"]] == [
            (leader(db), True, True)]
        assert health["parked_batches"] == 0 and health["connected"] is True
        with sqlite3.connect(db) as conn:  # the broker spread the batches: both workers applied some
            applied = dict(conn.execute("SELECT worker, applied FROM sync_ingest_workers").fetchall())
        assert applied[old] > 0 and applied[leader(db)] > 0
    finally:
        site.endpoint.stop()


def test_killing_a_follower_mid_stream_leaves_the_centre_online_and_loses_nothing(tmp_path, broker, centre):
    db, api, workers = centre
    site = StreamingSite(str(tmp_path / "site.db"), broker.url)
    site.endpoint.start()
    try:
        site.writer.start()
        wait_until(lambda: len(ledger(db)) >= 500, 60, "the first events at the centre")
        boss = leader(db)
        follower = next(w for n, w in workers.items() if f"ingest-{n}" != boss)
        follower.kill()  # its Will says the centre is offline; the leader answers that at once

        site.writer.join(60)
        wait_until(lambda: len(ledger(db)) == EVENTS, 60, "every event at the centre")
        sent = [(seq, event_id) for seq, event_id, _ in site.outbox()]
        assert ledger(db) == sent
        assert leader(db) == boss
        wait_until(lambda: site.endpoint.central_online, 10, "the site to see the centre online")
    finally:
        site.endpoint.stop()


def test_batches_published_out_of_order_and_twice_are_applied_once_in_seq_order_across_both_workers(
        tmp_path, broker, centre):
    """Each window of 8 batches goes out newest first, and every batch twice: workers must park and drain."""
    db, api, workers = centre
    outbox_db = str(tmp_path / "outbox.db")
    conn = connect(outbox_db)
    sync_migrations.apply(Database(conn))
    conn.close()
    with write_transaction(outbox_db) as tx:
        append_outbox(tx, "up", [stock_event(n) for n in range(2000)])
    store = SqliteOutboxStore(outbox_db, "up")
    batches = [encode_batch(SITE, 1, store.read_rows_after(start, 50)) for start in range(0, 2000, 50)]
    newest_first = [b for w in range(0, len(batches), 8) for b in reversed(batches[w:w + 8])]
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wes-edge-DC01", protocol=mqtt.MQTTv5)
    publisher.connect("127.0.0.1", broker.port)
    publisher.loop_start()
    try:
        for payload in newest_first * 2:
            publisher.publish(f"wes/v1/{SITE}/up/events", payload, qos=1).wait_for_publish(10)
        wait_until(lambda: len(ledger(db)) == 2000, 60, "every event at the centre")
    finally:
        publisher.loop_stop()
        publisher.disconnect()

    with sqlite3.connect(db) as conn:
        applied_order = [r[0] for r in conn.execute("SELECT seq FROM sync_inbox WHERE stream = ? ORDER BY rowid",
                                                    [SITE])]
    assert applied_order == list(range(1, 2001))  # applied in seq order, whichever worker got which batch
    wait_until(lambda: http_json("GET", f"{api.url}/api/v1/sync")[1]["parked_batches"] == 0, 15, "no parked batch")
    status, body = http_json("GET", f"{api.url}/api/v1/sites/{SITE}/stock")
    expected: dict[tuple, int] = {}
    for n in range(2000):
        data = stock_event(n).data
        key = (data["location"], data["sku"], "")
        expected[key] = expected.get(key, 0) + data["qty_delta"]
    assert status == 200 and stock_map(body["stock"]) == expected
    wait_until(lambda: parked_so_far(db) > 0, 15, "a worker to report parked batches")  # newest-first windows
