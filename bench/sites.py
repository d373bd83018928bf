"""Benchmark: 1, 10 and 50 sites stream their backlogs into one centre at once.

The same total number of events is split evenly between the sites, so a flat `events_per_s`
means the centre's cost does not grow with the number of sites. Sites run in up to two processes
besides the centre's. Prints one JSON line as its last output. Not part of `make test`.
"""
import argparse
import json
import tempfile
import time
from pathlib import Path

from deploy.mosquitto import MosquittoBroker

from .sync_peers import fill_outbox, migrate
from .sync_runs import catch_up, exactly_once


def measure(broker_url: str, work: Path, count: int, events: int) -> dict:
    hub_db = migrate(str(work / f"hub-{count}.db"))
    sites = {f"S{count:02d}-{i:02d}": migrate(str(work / f"site-{count}-{i}.db")) for i in range(count)}
    for db in sites.values():
        fill_outbox(db, events // count)
    run = catch_up(broker_url, hub_db, sites, processes=min(count, 2))
    checks = [exactly_once(hub_db, site, db) for site, db in sites.items()]
    return {"events_per_s": round(sum(c["events"] for c in checks) / run["seconds"]),
            "exact": run["complete"] and all(not c["lost"] and not c["duplicated"] and c["contiguous"]
                                             for c in checks),
            "central_peak_rss_mb": run["central_peak_rss_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000, help="total events per run, split between sites")
    parser.add_argument("--sites", default="1,10,50")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wes-bench-sites-"))
    runs = {}
    with MosquittoBroker(workdir=str(work / "mqtt")) as broker:
        for count in (int(n) for n in args.sites.split(",")):
            runs[str(count)] = measure(broker.url, work, count, args.events)
    print(json.dumps({"bench": "sites", "events": args.events,
                      "events_per_s": {n: r["events_per_s"] for n, r in runs.items()},
                      "exactly_once": {n: r["exact"] for n, r in runs.items()},
                      "central_peak_rss_mb": {n: r["central_peak_rss_mb"] for n, r in runs.items()},
                      "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))


if __name__ == "__main__":
    main()
