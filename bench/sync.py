"""Benchmark: durable site → centre throughput over a real Mosquitto, against a naive baseline.

Site and centre run as separate processes. The site's outbox is filled first, then timed until the
centre has committed (synchronous=FULL) and acknowledged every event. The baseline sends the same
kind of backlog one event per MQTT message and one commit per event (batches of 1, the same window).
Prints one JSON line as its last output. Not part of `make test`.
"""
import argparse
import json
import tempfile
import time
from pathlib import Path

from deploy.mosquitto import MosquittoBroker

from .sync_peers import fill_outbox, migrate
from .sync_runs import catch_up, exactly_once


def measure(broker_url: str, broker_pid: int, work: Path, name: str, events: int, batch_max: int,
            window: int) -> dict:
    site_db, hub_db = migrate(str(work / f"{name}-site.db")), migrate(str(work / f"{name}-hub.db"))
    fill_outbox(site_db, events)
    run = catch_up(broker_url, hub_db, {"BENCH": site_db}, batch_max=batch_max, window=window,
                   broker_pid=broker_pid)
    return run | exactly_once(hub_db, "BENCH", site_db) | {"events_per_s": round(events / run["seconds"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--baseline-events", type=int, default=10_000)
    parser.add_argument("--batch-max", type=int, default=500)
    parser.add_argument("--window", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wes-bench-sync-"))
    with MosquittoBroker(workdir=str(work / "mqtt")) as broker:
        pid = broker.process.pid
        batched = measure(broker.url, pid, work, "batched", args.events, args.batch_max, args.window)
        baseline = measure(broker.url, pid, work, "baseline", args.baseline_events, 1, args.window)
    print(json.dumps({
        "bench": "sync", "events": args.events, "batch_max": args.batch_max, "window": args.window,
        "events_per_s": batched["events_per_s"], "seconds": round(batched["seconds"], 2),
        "baseline_events": args.baseline_events, "baseline_events_per_s": baseline["events_per_s"],
        "speedup": round(batched["events_per_s"] / max(baseline["events_per_s"], 1), 1),
        "cpu_s": batched["cpu_s"],
        "exactly_once": {key: {k: run[k] for k in ("complete", "lost", "duplicated", "contiguous")}
                         for key, run in (("batched", batched), ("baseline", baseline))},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))


if __name__ == "__main__":
    main()
