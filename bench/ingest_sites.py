"""Run a group of simulated sites that write events live (group commits at a fixed rate) and stream them.

`python -m bench.ingest_sites --url mqtt://... --rate 5000 --seconds 10 --site S01 --db s01.db ...` waits until the
centre is online for every site, writes `rate` events per second spread over its sites for `seconds`, then waits
until the centre has acknowledged everything, and prints one JSON line: when writing started and stopped (wall
clock, for the lag figures), and how long the backlog took to drain after the last write.
"""
import argparse
import json
import os
import time

from sqlite_utils import Database

from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import OutgoingEvent, append_outbox, connect, writer_lock

from .sync_peers import cpu_seconds, migrate, peak_rss_mb

TICK_S = 0.1  # a site's group commit interval


def ignore_command(db, stream, event) -> None:
    """Accept the centre's commands (item master data) without acting on them."""


def stock_event(n: int) -> OutgoingEvent:
    """Receive 10 into a location, then pick 9 from it: stock stays positive, as on a real floor."""
    qty, reason = (10, "receive") if n % 10 == 0 else (-1, "pick")
    return OutgoingEvent("stock.changed", {"location": f"A-{n // 10 % 20 + 1:02d}-01", "sku": "SKU-BLUE-MUG",
                                           "lot": "", "qty_delta": qty, "reason": reason, "ref": ""},
                         device_id="HH-01")


def write_for(sites: list[SiteSyncEndpoint], rate: float, seconds: float) -> int:
    """Append `rate` events/s over all sites in group commits every TICK_S for `seconds`; return events written."""
    per_site_tick = rate * TICK_S / len(sites)
    # synchronous=NORMAL: the sites' own durability is not what is measured, and 500 fsyncs a second would
    # make the sites, not the centre, the limit on a 2-core machine
    conns = [connect(site.db_path) for site in sites]
    for conn in conns:
        conn.execute("PRAGMA synchronous=NORMAL")
    owed = [0.0] * len(sites)
    counts = [0] * len(sites)
    written, start = 0, time.monotonic()
    tick = 0
    while time.monotonic() - start < seconds:
        for i, site in enumerate(sites):
            owed[i] += per_site_tick
            count = int(owed[i])
            if count:
                owed[i] -= count
                with writer_lock(site.db_path):
                    conns[i].execute("BEGIN IMMEDIATE")
                    append_outbox(Database(conns[i]), "up", [stock_event(counts[i] + k) for k in range(count)])
                    conns[i].execute("COMMIT")
                site.nudge()
                counts[i] += count
                written += count
        tick += 1
        time.sleep(max(0.0, start + tick * TICK_S - time.monotonic()))
    for conn in conns:
        conn.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--site", action="append", required=True)
    parser.add_argument("--rate", type=float, required=True, help="events per second over this group's sites")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    sites = [SiteSyncEndpoint(migrate(db), site, args.url, ignore_command, resend_after=10)
             for db, site in zip(args.db, args.site)]
    for site in sites:
        site.start()
    deadline = time.monotonic() + args.timeout
    while not all(site.central_online for site in sites) and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.time()
    written = write_for(sites, args.rate, args.seconds)
    stopped = time.time()
    pending = list(sites)
    while pending and time.monotonic() < deadline:
        time.sleep(0.01)
        pending = [site for site in pending if site.outbox.acked_through() < site.outbox.last_seq()]
    drained = time.time()
    cpu = cpu_seconds()
    for site in sites:
        site.stop()
    print(json.dumps({"written": written, "started": started, "stopped": stopped, "drained": drained,
                      "complete": not pending, "pid": os.getpid(), "peak_rss_mb": peak_rss_mb(), "cpu_s": cpu}),
          flush=True)


if __name__ == "__main__":
    main()
