"""Benchmark: events per second from a site's outbox into the centre's ledger over real Mosquitto.

Prints one JSON line as its last output. Not part of `make test`.
"""
import argparse
import json
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database

from deploy.mosquitto import MosquittoBroker
from sync.hub_endpoint import HubSyncEndpoint
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, read_connection, sync_migrations, write_transaction


def migrate(path: str) -> str:
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=50_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wes-bench-"))
    edge_db, hub_db = migrate(str(work / "edge.db")), migrate(str(work / "hub.db"))
    t0 = time.perf_counter()
    with write_transaction(edge_db) as db:  # a day's backlog written while offline
        for start in range(0, args.events, 1000):
            append_outbox(db, "up", [OutgoingEvent("stock.changed", {"location": "A-01-01", "sku": "SKU-BLUE-MUG",
                                                                     "qty_delta": -1, "reason": "pick"})
                                     for _ in range(min(1000, args.events - start))])
    write_s = time.perf_counter() - t0
    with MosquittoBroker(workdir=str(work / "mqtt")) as broker:
        hub = HubSyncEndpoint(hub_db, broker.url, lambda db, site, event: None)
        site = SiteSyncEndpoint(edge_db, "BENCH", broker.url, lambda db, stream, event: None)
        t1 = time.perf_counter()
        hub.start()
        site.start()
        while site.outbox.acked_through() < args.events and time.perf_counter() - t1 < 600:
            time.sleep(0.05)
        sync_s = time.perf_counter() - t1
        site.stop()
        hub.stop()
    with read_connection(hub_db) as conn:
        (stored,) = conn.execute("SELECT COUNT(*) FROM sync_inbox").fetchone()
    print(json.dumps({"bench": "sync_throughput", "events": args.events, "stored_exactly_once": stored == args.events,
                      "outbox_write_events_per_s": round(args.events / write_s),
                      "catch_up_events_per_s": round(args.events / sync_s), "catch_up_s": round(sync_s, 2)}))


if __name__ == "__main__":
    main()
