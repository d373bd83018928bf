"""Fault-injection run: episodes in which simulated pickers work at several sites while faults hit.

Each episode starts a fresh broker, centre and sites (each site and the centre reach the broker
through a TCP proxy the run controls), creates orders at the centre, lets two simulated pickers per
site work them, and injects faults at random: kill -9 and clean restarts of a site, the centre or
the broker; partitions (cut or stalled links) of various lengths; kills while a backlog drains;
batches replayed on the wire, duplicated and out of order; MQTT packets shuffled in a proxy; a
site's database restored from a backup. Then it heals everything, waits for quiescence and checks
per site: every committed event in the centre's ledger exactly once, seqs contiguous per (site,
epoch), each handheld op's events stored once, every command delivered once, the centre's inventory
equal to the site's stock, every order shipped on both sides, no dead letters.
Prints a JSON summary as its last line; exits 0 only if every invariant held in every episode.
"""
import argparse
import json
import logging
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from handheld.picker_sim import PickerSim

from .chaos_cluster import Cluster, query, site_ids
from .chaos_faults import FAULT_KINDS, OPTIONAL_KINDS, FaultBag, FaultInjector
from .chaos_invariants import check_site
from .demo import sample_orders, wait_for
from .processes import http_json, mint_enrolment_code

log = logging.getLogger("wes-chaos")
SITE_COUNTS = ("events", "commands", "orders", "lost", "duplicated", "phantom", "mismatches",
               "restore_tail_delivered", "restore_tail_gone")


def keep_picking(sim: PickerSim, stop: threading.Event, crashes: list[str]) -> None:
    """Run a simulated picker until `stop`; if its app crashes, note why and start it again, as a picker would."""
    while not stop.is_set():
        try:
            sim.run(stop)
        except Exception as err:  # noqa: BLE001 - any crash is reported in the summary, never hidden
            log.exception("picker %s crashed; restarting it", sim.badge)
            crashes.append(f"{sim.badge} on {sim.client.device_id}: {type(err).__name__}: {err}")
            stop.wait(1.0)


def start_pickers(cluster: Cluster, seed: int, stop: threading.Event, crashes: list[str]) -> list[threading.Thread]:
    """Enrol two simulated handhelds per site and set them working until `stop`."""
    layout = json.loads((cluster.workdir / "seeds" / f"{cluster.sites[0]}.json").read_text())
    jobs = [(site, n, picker) for site in cluster.sites for n, picker in enumerate(layout["pickers"], start=1)]
    with ThreadPoolExecutor(len(jobs)) as pool:
        codes = list(pool.map(lambda job: mint_enrolment_code(cluster.workdir, job[0]), jobs))
    threads = []
    for (site, n, picker), code in zip(jobs, codes):
        sim = PickerSim(cluster.edges[site].url, picker["badge"], picker["pin"], f"HH-{site}-{n:02d}",
                        wrong_scan_rate=0.05, seed=seed * 100 + len(threads), enrolment_code=code)
        threads.append(threading.Thread(target=keep_picking, args=(sim, stop, crashes), daemon=True,
                                        name=f"picker-{site}-{n}"))
        threads[-1].start()
    return threads


def feed_orders(central_url: str, orders: list[dict], seconds: float, stop: threading.Event) -> None:
    """Send a third of the orders at once and trickle the rest over the fault window, so work never runs dry.

    A call cut off by a fault is retried with the same external_ref; 409 means it had gone through.
    """
    upfront = max(1, len(orders) // 3)
    gap = seconds / max(1, len(orders) - upfront)
    for n, order in enumerate(orders):
        if n >= upfront and stop.wait(gap):
            return
        while not stop.is_set():
            try:
                status, body = http_json("POST", f"{central_url}/api/v1/orders", order, timeout=5)
            except OSError:
                status, body = 0, None
            if status in (201, 409):
                break
            if status not in (0, 503):
                log.error("the centre refused order %s: %s %s", order["external_ref"], status, body)
                break
            stop.wait(0.5)


def quiesce(cluster: Cluster, orders: int, stop_pickers: threading.Event, pickers: list[threading.Thread]) -> None:
    """Heal everything, let the work finish, stop the pickers and wait until both directions have drained."""
    cluster.heal()

    def shipped() -> bool:
        """Shipped at the centre and at the sites: a restored site redoes work its lost tail had done."""
        got = _ask(lambda: http_json("GET", f"{cluster.central.url}/api/v1/orders?status=shipped&limit=1000")[1])
        at_sites = _ask(lambda: [status for site in cluster.sites
                                 for (status,) in query(cluster.edge_db(site), "SELECT status FROM orders")])
        return (isinstance(got, list) and len(got) >= orders
                and at_sites is not None and len(at_sites) >= orders and set(at_sites) == {"shipped"})
    wait_for(shipped, 180, "every order to be shipped at the centre and at its site after the faults")
    stop_pickers.set()
    for thread in pickers:
        thread.join(15)

    def drained() -> bool:
        edges = [_ask(lambda: http_json("GET", f"{edge.url}/api/v1/sync")[1]) for edge in cluster.edges.values()]
        central = _ask(lambda: http_json("GET", f"{cluster.central.url}/api/v1/sync")[1])
        return (all(e and e.get("outbox_depth") == 0 for e in edges) and central is not None
                and all(s.get("outbox_depth") == 0 for s in central.get("command_streams", {}).values()))
    wait_for(drained, 120, "every site's outbox and the centre's command streams to drain")


def _ask(call):
    """Ask an API or a database while waiting for quiescence: one still starting or busy answers None."""
    try:
        return call()
    except (OSError, ValueError, sqlite3.Error):
        return None


def run_episode(workdir: Path, sites: int, seconds: float, orders: int, seed: int, bag: FaultBag,
                max_outage: float = 6.0, min_faults: int = 0) -> dict:
    """Run one episode in `workdir`; return its faults, counts, per-invariant results and failures.

    Faults go on for `seconds`, and past that until `min_faults` have been injected.
    """
    rng = random.Random(seed)
    cluster = Cluster(workdir, site_ids(sites), rng)
    injector = FaultInjector(cluster, rng, bag, max_outage)
    stop_pickers = threading.Event()
    crashes: list[str] = []
    result: dict = {"seed": seed, "faults": injector.injected, "replayed": cluster.replayer.stats,
                    "picker_crashes": crashes}
    try:
        cluster.start()
        for site in cluster.sites:
            wait_for(lambda: http_json("GET", f"{cluster.central.url}/api/v1/sites/{site}/stock")[1].get("stock"),
                     60, f"the centre to learn {site}'s stock")
        feeder = threading.Thread(target=feed_orders, daemon=True,
                                  args=(cluster.central.url, sample_orders(orders, seed), seconds * 0.8, stop_pickers))
        feeder.start()
        pickers = start_pickers(cluster, seed, stop_pickers, crashes)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline or sum(injector.injected.values()) < min_faults:
            time.sleep(rng.uniform(0.1, 1.0))
            log.info("episode seed %s: injected %s", seed, injector.inject())
        feeder.join()
        quiesce(cluster, orders, stop_pickers, pickers)
        reports = [check_site(cluster, site) for site in cluster.sites]
        result["checks"] = {name: all(r.checks[name] for r in reports) for name in reports[0].checks}
        result.update({key: sum(r.counts.get(key, 0) for r in reports) for key in SITE_COUNTS})
        result["reordered_on_wire"] = sum(link.reordered for link in cluster.links())
        result["failures"] = [failure for r in reports for failure in r.failures]
    except (RuntimeError, TimeoutError, OSError, KeyError, ValueError) as err:  # report it, run the next one
        log.exception("episode seed %s did not reach quiescence", seed)
        result["failures"] = [{"site": "*", "invariant": "quiescence", "detail": f"{type(err).__name__}: {err}"}]
    finally:
        stop_pickers.set()
        cluster.stop()
    return result


def summarise(episodes: list[dict], started: float, args: dict) -> dict:
    """Fold episode results into one summary: fault counts by kind, totals, and every failure."""
    faults: dict[str, int] = {}
    replayed: dict[str, int] = {}
    for episode in episodes:
        for kind, n in episode["faults"].items():
            faults[kind] = faults.get(kind, 0) + n
        for key, n in episode["replayed"].items():
            replayed[key] = replayed.get(key, 0) + n
    failures = [dict(failure, episode=n) for n, ep in enumerate(episodes, start=1) for failure in ep["failures"]]
    checks = {name for ep in episodes for name in ep.get("checks", {})}
    crashes = [crash for ep in episodes for crash in ep["picker_crashes"]]
    summary = {"bench": "chaos", "ok": not failures, "episodes": len(episodes), **args,
               "faults": faults, "faults_total": sum(faults.values()), "replayed": replayed,
               **{key: sum(ep.get(key, 0) for ep in episodes) for key in (*SITE_COUNTS, "reordered_on_wire")},
               "invariants": {name: all(ep.get("checks", {}).get(name, False) for ep in episodes)
                              for name in sorted(checks)},
               "seconds": round(time.monotonic() - started, 1)}
    summary["picker_crashes"] = len(crashes)
    if crashes:
        summary["picker_crash_reasons"] = sorted(set(crashes))[:10]
    if failures:
        summary["failures"] = failures
    return summary


def run(episodes: int, sites: int, seconds: float, orders: int, seed: int, workdir: Path,
        kinds: tuple[str, ...] = FAULT_KINDS, max_outage: float = 6.0, min_faults: int = 0) -> dict:
    """Run `episodes` episodes (seeds seed, seed+1, ...) under `workdir`/epNN; return the summary."""
    started, results = time.monotonic(), []
    bag = FaultBag(kinds, random.Random(seed))
    for n in range(1, episodes + 1):
        result = run_episode(workdir / f"ep{n:02d}", sites, seconds, orders, seed + n - 1, bag, max_outage,
                             min_faults)
        log.info("episode %d: %s", n, json.dumps(result))
        results.append(result)
    return summarise(results, started, {"sites": sites, "seconds_per_episode": seconds, "orders_per_episode": orders,
                                        "seed": seed})


def parse_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    for kind in kinds:
        if kind in OPTIONAL_KINDS:
            raise argparse.ArgumentTypeError(f"{kind} is not available yet: it needs {OPTIONAL_KINDS[kind]}")
        if kind not in FAULT_KINDS:
            raise argparse.ArgumentTypeError(f"unknown fault {kind!r}; choose from {', '.join(FAULT_KINDS)}")
    return kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wes-chaos", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=3, help="episodes to run, each on fresh processes (default 3)")
    parser.add_argument("--sites", type=int, default=2, help="sites per episode, each with two pickers (default 2)")
    parser.add_argument("--seconds", type=float, default=20, help="how long to inject faults per episode (default 20)")
    parser.add_argument("--orders", type=int, default=30, help="orders per episode (default 30)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the first episode, to replay a run")
    parser.add_argument("--max-outage", type=float, default=6.0,
                        help="longest partition or downtime in seconds (default 6)")
    parser.add_argument("--faults", type=parse_kinds, default=FAULT_KINDS, metavar="KIND,...",
                        help=f"fault kinds to draw from (default all: {', '.join(FAULT_KINDS)})")
    parser.add_argument("--workdir", help="keep databases and logs here (default: a temp folder, removed on success)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("handheld").setLevel(logging.ERROR)  # pickers retrying through outages is expected
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="wes-chaos-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    summary = run(args.episodes, args.sites, args.seconds, args.orders, args.seed, workdir, args.faults,
                  args.max_outage)
    if summary["ok"] and not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    elif not summary["ok"]:
        summary["workdir"] = str(workdir)
    print(json.dumps(summary), flush=True)
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
