"""Benchmark: a site with a large unsent backlog reconnects; time until the centre has acknowledged it all.

Site and centre run as separate processes, so peak RSS is per process. Prints one JSON line as its
last output. Not part of `make test`.
"""
import argparse
import json
import tempfile
import time
from pathlib import Path

from deploy.mosquitto import MosquittoBroker

from .sync_peers import fill_outbox, migrate
from .sync_runs import catch_up, exactly_once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wes-bench-drain-"))
    site_db, hub_db = migrate(str(work / "site.db")), migrate(str(work / "hub.db"))
    started = time.perf_counter()
    fill_outbox(site_db, args.events)
    fill_s = time.perf_counter() - started
    with MosquittoBroker(workdir=str(work / "mqtt")) as broker:
        run = catch_up(broker.url, hub_db, {"DRAIN": site_db})
    check = exactly_once(hub_db, "DRAIN", site_db)
    print(json.dumps({
        "bench": "drain", "events": args.events, "seconds": round(run["seconds"], 2),
        "events_per_s": round(args.events / run["seconds"]), "edge_peak_rss_mb": run["edge_peak_rss_mb"],
        "central_peak_rss_mb": run["central_peak_rss_mb"], "backlog_write_s": round(fill_s, 1),
        "complete": run["complete"], "lost": check["lost"], "duplicated": check["duplicated"],
        "contiguous": check["contiguous"], "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))


if __name__ == "__main__":
    main()
