"""Ingest site events into the centre's ledger on SQLite and on PostgreSQL; print events/s for each.

Batches of stock.changed events go through the hub's inbox (dedupe, ledger, cursor) and the centre's real
apply function (stock per site, location, sku), one transaction per batch, as the hub stores them. PostgreSQL
is a private cluster on loopback with fsync off, so this compares the statements, not the disks.
"""
import argparse
import json
import logging
import tempfile
import time
import uuid
from pathlib import Path

from central.adapters.hub_hooks import apply_event
from central.adapters.migrations import migrate
from sync.sqlite_store import SqliteInboxStore, read_connection


def events(first: int, count: int) -> list[dict]:
    return [{"seq": seq, "event_id": str(uuid.uuid4()), "type": "stock.changed",
             "occurred_at": "2026-01-05T10:00:00.000+00:00", "recorded_at": "2026-01-05T10:00:00.100+00:00",
             "device_id": "HH-01", "op_id": None,
             "data": {"location": f"A-{seq % 50:02d}", "sku": f"SKU-{seq % 20:03d}", "lot": "", "qty_delta": 1,
                      "reason": "count", "ref": ""}} for seq in range(first, first + count)]


def run(url: str, batches: int, size: int) -> dict:
    """Store `batches` batches of `size` events for one site; return the rate and an exactly-once check."""
    migrate(url)
    inbox = SqliteInboxStore(url)
    started = time.perf_counter()
    for n in range(batches):
        inbox.receive("DC01", 1, events(n * size + 1, size), apply_event)
    seconds = time.perf_counter() - started
    with read_connection(url) as conn:
        (ledger,) = conn.execute("SELECT COUNT(*) FROM sync_inbox").fetchone()
        (units,) = conn.execute("SELECT SUM(qty) FROM stock WHERE site_id = 'DC01'").fetchone()
    total = batches * size
    return {"events_per_s": round(total / seconds), "events": total,
            "exactly_once": ledger == total and units == total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    import psycopg

    from deploy.postgres import PostgresCluster, postgres_bindir, wait_ready

    results = {"sqlite": run(str(Path(tempfile.mkdtemp(prefix="wes-bench-")) / "central.db"),
                             args.batches, args.batch_size)}
    bindir = postgres_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed: apt-get install postgresql")
    with PostgresCluster(bindir) as cluster:
        wait_ready(cluster.url)
        with psycopg.connect(cluster.url, autocommit=True) as admin:
            admin.execute("CREATE DATABASE wes_bench")
        results["postgres"] = run(cluster.database_url("wes_bench"), args.batches, args.batch_size)
    results["batch_size"] = args.batch_size
    print(json.dumps(results))


if __name__ == "__main__":
    main()
