"""Run a centre or a group of sites as its own process for the sync benchmarks.

`python -m bench.sync_peers centre --db hub.db --url mqtt://...` ingests until stopped.
`python -m bench.sync_peers sites --db a.db --site A ...` streams each site's outbox until the centre
has acknowledged all of it, then prints one JSON line with the seconds it took and its peak RSS.
"""
import argparse
import json
import os
import signal
import threading
import time

from sqlite_utils import Database

from sync.hub_endpoint import HubSyncEndpoint
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, sync_migrations, write_transaction

PICK = {"location": "A-01-01", "sku": "SKU-BLUE-MUG", "qty_delta": -1, "reason": "pick"}


def migrate(path: str) -> str:
    conn = connect(path)
    sync_migrations.apply(Database(conn))
    conn.close()
    return path


def fill_outbox(path: str, events: int) -> None:
    """Write a backlog of pick events, committed 5,000 at a time as the edge's group commit would."""
    for start in range(0, events, 5000):
        with write_transaction(path) as db:
            append_outbox(db, "up", [OutgoingEvent("stock.changed", PICK, device_id="HH-01")
                                     for _ in range(min(5000, events - start))])


def peak_rss_mb(pid: int | str = "self") -> float:
    """Read a process's peak resident set size (VmHWM) from /proc."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cpu_seconds(pid: int | str = "self") -> float:
    """Read a process's user + system CPU time from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)


def ignore_event(db, site, event) -> None:
    """Store the ledger row only: the benchmark measures the sync path, not the centre's domain."""


def run_centre(args) -> None:
    hub = HubSyncEndpoint(args.db, args.url, ignore_event)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    hub.start()
    stop.wait()
    hub.stop()


def run_sites(args) -> None:
    sites = [SiteSyncEndpoint(db, site, args.url, ignore_event) for db, site in zip(args.db, args.site)]
    for site in sites:
        site.sender.batch_max, site.sender.window = args.batch_max, args.window
        site.sender.batch_bytes = max(site.sender.batch_bytes, args.batch_max * 400)
    targets = [site.outbox.last_seq() for site in sites]
    for site in sites:
        site.start()
    deadline = time.perf_counter() + args.timeout
    while not all(site.central_online for site in sites) and time.perf_counter() < deadline:
        time.sleep(0.002)  # time the streaming, not process start-up and the MQTT handshake
    started = time.perf_counter()
    pending = list(zip(sites, targets))
    while pending and time.perf_counter() < deadline:
        time.sleep(0.01)
        pending = [(site, target) for site, target in pending if site.outbox.acked_through() < target]
    seconds = time.perf_counter() - started
    cpu = cpu_seconds()
    for site in sites:
        site.stop()
    print(json.dumps({"seconds": round(seconds, 3), "complete": not pending, "pid": os.getpid(),
                      "peak_rss_mb": peak_rss_mb(), "cpu_s": cpu}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=["centre", "sites"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--site", action="append", default=[])
    parser.add_argument("--batch-max", type=int, default=500)
    parser.add_argument("--window", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    if args.role == "centre":
        args.db = args.db[0]
        run_centre(args)
    else:
        run_sites(args)


if __name__ == "__main__":
    main()
