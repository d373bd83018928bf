"""Benchmark: 50 simulated sites sending at once into (a) one centre and (b) several ingest workers.

Every site writes pick events live (a group commit every 100 ms, `--rate` events/s over all sites, for `--seconds`)
and streams them over a private Mosquitto. The centre runs as real processes with the real event handling:
(a) `single`: `wes-central serve` (one hub endpoint), (b) `workers:N`: `wes-central serve --no-ingest` plus N
processes of `wes-central ingest-worker` on `--db` (a fresh SQLite file by default; give a PostgreSQL URL of an
empty database to measure that). Reports the ingest rate, the lag from each event's write at the site to its
commit at the centre (p50/p99/max, from the ledger), how long the centre took to drain after the sites stopped
writing, and CPU per event. Afterwards it checks every site's outbox against the ledger (every event once, seqs
contiguous). Prints one JSON line last.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from deploy.mosquitto import MosquittoBroker, free_port
from deploy.processes import SAMPLE_DIR, IngestWorkerProcess, ServiceProcess

from .sync_peers import cpu_seconds
from .sync_runs import exactly_once


def catalogue(path: Path, sites: list[str]) -> Path:
    items = json.loads((SAMPLE_DIR / "catalogue.json").read_text())["items"][:1]
    path.write_text(json.dumps({"sites": [{"site_id": s, "name": f"Bench site {s}"} for s in sites], "items": items}))
    return path


def workers_of(variant: str) -> int:
    """Return how many ingest workers a variant runs: 0 for `single` (the API process ingests), N for `workers:N`."""
    return 0 if variant == "single" else int(variant.partition(":")[2] or 2)


def start_centre(variant: str, db: str, broker_url: str, work: Path, seed: Path) -> list:
    """Start the centre's processes for a variant; return them (stopped in reverse order)."""
    name = variant.replace(":", "")
    api = ServiceProcess("central", ["--db", db, "--mqtt-url", broker_url, "--seed", str(seed),
                                     *(["--no-ingest"] if workers_of(variant) else [])],
                         free_port(), work / f"{name}-central.log").start()
    started = [api]
    for n in range(1, workers_of(variant) + 1):
        started.append(IngestWorkerProcess(str(n), db, broker_url, work / f"{name}-worker-{n}.log").start())
    return started


def run_sites(broker_url: str, work: Path, sites: list[str], rate: float, seconds: float) -> list[dict]:
    """Run the sites in two processes (as bench/sites.py does) and return each one's JSON report."""
    groups = [sites[i::2] for i in range(2)]
    procs = []
    for group in groups:
        cmd = [sys.executable, "-m", "bench.ingest_sites", "--url", broker_url, "--rate", str(rate * len(group) /
               len(sites)), "--seconds", str(seconds)]
        for site in group:
            cmd += ["--site", site, "--db", str(work / f"site-{site}.db")]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
    return [json.loads(proc.communicate()[0].strip().splitlines()[-1]) for proc in procs]


def ledger_times(db: str) -> list[tuple[str, str]]:
    """Read (occurred_at, received_at) of every ledger row, from SQLite or PostgreSQL."""
    query = "SELECT occurred_at, received_at FROM sync_inbox"
    if db.startswith(("postgresql://", "postgres://")):
        import psycopg  # only needed for a PostgreSQL centre

        with psycopg.connect(db) as conn:
            return conn.execute(query).fetchall()
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute(query).fetchall()


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))] if values else 0.0


def measure(variant: str, db: str, broker_url: str, work: Path, sites: list[str], rate: float,
            seconds: float) -> dict:
    processes = start_centre(variant, db, broker_url, work, catalogue(work / "catalogue.json", sites))
    variant_dir = work / variant.replace(":", "")
    variant_dir.mkdir()
    try:
        reports = run_sites(broker_url, variant_dir, sites, rate, seconds)
        centre_cpu = sum(cpu_seconds(p.process.pid) for p in processes)
    finally:
        for process in reversed(processes):
            process.stop()
    times = ledger_times(db)
    lags = sorted((datetime.fromisoformat(received) - datetime.fromisoformat(occurred)).total_seconds()
                  for occurred, received in times)
    first_write = min(r["started"] for r in reports)
    last_commit = max(datetime.fromisoformat(received).timestamp() for _, received in times)
    last_write = max(r["stopped"] for r in reports)
    checks = [exactly_once(db, site, str(variant_dir / f"site-{site}.db")) for site in sites] \
        if not db.startswith("postgres") else []
    events = sum(r["written"] for r in reports)
    return {"variant": variant, "db": "postgresql" if db.startswith("postgres") else "sqlite",
            "ingest_processes": workers_of(variant) or 1, "events": events,
            "ledger_events": len(times), "offered_events_per_s": round(events / (last_write - first_write)),
            "events_per_s": round(len(times) / (last_commit - first_write)),
            "lag_p50_ms": round(percentile(lags, 0.50) * 1000), "lag_p99_ms": round(percentile(lags, 0.99) * 1000),
            "lag_max_ms": round(lags[-1] * 1000) if lags else 0,
            "drain_s": round(max(0.0, last_commit - last_write), 2),
            "centre_cpu_us_per_event": round(centre_cpu / max(events, 1) * 1e6),
            "sites_cpu_us_per_event": round(sum(r["cpu_s"] for r in reports) / max(events, 1) * 1e6),
            "all_acked_s": round(max(r["drained"] for r in reports) - last_write, 2),
            "exactly_once": all(r["complete"] for r in reports) and len(times) == events
            and all(not c["lost"] and not c["duplicated"] and c["contiguous"] for c in checks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--rate", type=float, default=10_000, help="events per second over all sites")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the sites write")
    parser.add_argument("--db", help="database of the workers variants: a fresh SQLite file by default, or an "
                                     "empty PostgreSQL database's URL (one workers variant per run then)")
    parser.add_argument("--variants", default="single,workers:2",
                        help="comma-separated: single (one `serve` process ingests) and/or workers:N")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wes-bench-central-ingest-"))
    sites = [f"S{n:02d}" for n in range(1, args.sites + 1)]
    runs = []
    with MosquittoBroker(workdir=str(work / "mqtt")) as broker:
        for variant in args.variants.split(","):
            own = str(work / f"{variant.replace(':', '')}-central.db")
            db = args.db if workers_of(variant) and args.db else own
            runs.append(measure(variant, db, broker.url, work, sites, args.rate, args.seconds))
            print(json.dumps(runs[-1]), flush=True)
    print(json.dumps({"bench": "central_ingest", "sites": args.sites, "rate": args.rate, "seconds": args.seconds,
                      "runs": {run["variant"]: run for run in runs},
                      "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))


if __name__ == "__main__":
    main()
