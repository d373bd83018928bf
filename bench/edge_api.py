"""Benchmark: simulated handhelds running the real pick flow against the edge served as in production.

For each device count, twice: devices sending as fast as answers come (the most the edge serves), then each device
confirming `--pace` times a second on a steady timetable (`paced`: what a picker feels at that rate). Each run reports
confirms/s and p50/p95/p99 latency of pick confirmations, errors, and two correctness checks:
`drift` (locations whose stock is not initial stock minus the picks confirmed) and `double_applied` (op_ids, some
replayed on purpose, sometimes concurrently, that were applied more than once). A centre that acknowledges every
event runs beside the edge (`--no-centre` to leave it out), so the site agent publishes its outbox as in production.
Prints one JSON line last.
"""
import argparse
import asyncio
import json
import logging
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from deploy.mosquitto import MosquittoBroker, free_port
from deploy.processes import ServiceProcess
from sync.sqlite_store import SqliteOutboxStore

from .edge_load_site import SITE, PIN, build_site, double_applied_ops, enrolment_codes, stock_by_location
from .sync_peers import migrate

log = logging.getLogger("bench.edge_api")
UNITS_PER_LINE = 10  # each order line, so each pick task, is this many units


class Http:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for JSON calls."""

    def __init__(self, port: int):
        self.port, self.reader, self.writer, self.headers = port, None, None, {}

    async def open(self) -> "Http":
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, dict]:
        data = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(data)}"]
        head += [f"{k}: {v}" for k, v in self.headers.items()]
        if body is not None:
            head.append("Content-Type: application/json")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        # The whole head at once, not line by line: the load generator shares the server's two cores, so its own
        # CPU per call is kept small.
        status_line, *lines = (await self.reader.readuntil(b"\r\n\r\n"))[:-4].decode().split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        payload = await self.reader.readexactly(int(headers.get("content-length", 0)))
        return int(status_line.split()[1]), (json.loads(payload) if payload else {}), headers

    def close(self) -> None:
        self.writer.close()


class Stats:
    def __init__(self, picked_by_location: dict[str, int]):
        self.latencies: list[float] = []
        self.confirms = self.errors = self.replays = self.replays_answered_as_replay = 0
        self.no_task_answers = 0  # "no open task": the site ran out of work, so the run measured less than it says
        self.elapsed = self.loadgen_cpu = self.server_cpu = 0.0
        self.threads_cpu: Counter = Counter()  # the server's CPU seconds by thread name
        self.picked_by_location = picked_by_location  # shared by warm-up and measurement, for the drift check


class Device:
    """A handheld with a signed-in picker doing next task → location scan → confirm each unit.

    With `pace` (confirms per second) each confirm has its slot on a fixed timetable, as a picker scanning at a steady
    rhythm; latency is counted from the slot, so a late answer also makes the next confirms late (no coordinated
    omission). Without it the device sends its next call as soon as the last one is answered.
    """

    def __init__(self, port: int, n: int, code: str, rng: random.Random, replay_share: float, pace: float = 0.0):
        self.port, self.n, self.code, self.rng, self.replay_share = port, n, code, rng, replay_share
        self.device_id, self.badge = f"HH-{n:04d}", f"BADGE-{n:04d}"
        self.interval, self.next_slot = (1.0 / pace if pace else 0.0), 0.0

    async def start(self) -> None:
        self.http = await Http(self.port).open()
        status, body, _ = await self.http.call("POST", "/api/v1/devices", {"enrolment_code": self.code,
                                                                          "device_id": self.device_id})
        assert status == 201, body
        self.http.headers["X-Device-Token"] = body["device_token"]
        status, body, _ = await self.http.call("POST", "/api/v1/sessions", {"badge": self.badge, "pin": PIN,
                                                                           "device_id": self.device_id})
        assert status == 201, body
        self.http.headers["Authorization"] = f"Bearer {body['token']}"
        self.twin = await Http(self.port).open()  # second connection for concurrent replays
        self.twin.headers = self.http.headers

    async def work(self, until: float, stats: Stats) -> None:
        if self.interval and not self.next_slot:  # the timetable runs on from the warm-up into the measured run
            # Devices start spread over a whole task's slots (its units), not one interval: otherwise every picker
            # finishes a task at the same moment and asks for the next one together, a burst no floor ever sees.
            self.next_slot = time.perf_counter() + self.rng.random() * self.interval * UNITS_PER_LINE
        while time.monotonic() < until:
            status, body, _ = await self.http.call("GET", "/api/v1/tasks/next")
            task = body.get("task") if status == 200 else None
            if task is None:
                stats.errors += status != 200
                stats.no_task_answers += status == 200
                await asyncio.sleep(0.05)
                continue
            if task["next_step"] == "scan_location":
                status, _, _ = await self.http.call("POST", f"/api/v1/tasks/{task['task_id']}/location-scan",
                                                    {"op_id": str(uuid.uuid4()), "barcode": task["location_barcode"]})
                stats.errors += status != 200
            for _ in range(task["qty"] - task["picked_qty"]):
                if time.monotonic() >= until:
                    return
                await self.confirm(task, stats)

    async def confirm(self, task: dict, stats: Stats) -> None:
        path = f"/api/v1/tasks/{task['task_id']}/picks"
        body = {"op_id": str(uuid.uuid4()), "barcode": task["item_barcodes"][-1], "qty": 1}
        roll = self.rng.random()
        started = time.perf_counter()
        if self.interval:
            if self.next_slot > started:
                await asyncio.sleep(self.next_slot - started)
            started, self.next_slot = self.next_slot, self.next_slot + self.interval
        if roll < self.replay_share / 2:  # the same op sent twice at once, as after a Wi-Fi blip
            answers = await asyncio.gather(self.http.call("POST", path, body), self.twin.call("POST", path, body))
            stats.replays += 1
        else:
            answers = [await self.http.call("POST", path, body)]
        stats.latencies.append(time.perf_counter() - started)
        if roll >= self.replay_share / 2 and roll < self.replay_share:  # resent later: the answer got lost
            answers.append(await self.http.call("POST", path, body))
            stats.replays += 1
        ok = [a for a in answers if a[0] == 200]
        fresh = [a for a in ok if a[2].get("idempotent-replayed") != "true"]
        stats.errors += len(answers) - len(ok)
        stats.replays_answered_as_replay += len(ok) - len(fresh)
        if ok:  # applied once, whichever copy got there first
            stats.confirms += 1
            stats.picked_by_location[task["location"]] = stats.picked_by_location.get(task["location"], 0) + 1


def _cpu_seconds() -> float:
    """CPU time the load generator itself used, so what it takes from the server's two cores is on record."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _stat_cpu_ticks(path: str) -> tuple[int, int] | None:
    """(parent pid, utime + stime) from a /proc stat file, or None if the process or thread has gone."""
    try:
        with open(path) as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[1]), int(fields[11]) + int(fields[12])


def _tree_cpu_seconds(root_pid: int) -> tuple[float, Counter]:
    """CPU time of the server, its process and every child (HTTP workers, site agent), from /proc (Linux).

    Also by thread name, as the kernel knows it: the agent's threads are named (command-writer, sync-<site>,
    wal-checkpointer); granian's request threads are tokio-rt-worker. Threads that ended meanwhile are left out there.
    """
    ticks, by_name, per_second = 0, Counter(), os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        found = _stat_cpu_ticks(f"/proc/{entry}/stat") if entry.isdigit() else None
        if found is None or (int(entry) != root_pid and found[0] != root_pid):
            continue
        ticks += found[1]
        for task in os.listdir(f"/proc/{entry}/task") if os.path.isdir(f"/proc/{entry}/task") else []:
            thread = _stat_cpu_ticks(f"/proc/{entry}/task/{task}/stat")
            if thread is None:
                continue
            try:
                with open(f"/proc/{entry}/task/{task}/comm") as comm:
                    by_name[comm.read().strip()] += thread[1] / per_second
            except OSError:
                continue  # ended between the two reads
    return ticks / per_second, by_name


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


async def run_level(port: int, server_pid: int, codes: list[str], first_device: int, count: int, seconds: float,
                    replay_share: float, seed: int, pace: float = 0.0) -> Stats:
    devices = [Device(port, first_device + i, codes[first_device + i - 1], random.Random(seed + i), replay_share,
                      pace) for i in range(count)]
    for device in devices:  # sign in one by one: PIN checks are deliberately slow
        await device.start()
    picked: dict[str, int] = {}
    stats = Stats(picked)
    warm = time.monotonic() + 1.0
    await asyncio.gather(*(d.work(warm, Stats(picked)) for d in devices))  # warm-up: timings not counted
    started, own_cpu, (server_cpu, threads_cpu) = time.monotonic(), _cpu_seconds(), _tree_cpu_seconds(server_pid)
    await asyncio.gather(*(d.work(started + seconds, stats) for d in devices))
    stats.elapsed = time.monotonic() - started
    stats.loadgen_cpu = _cpu_seconds() - own_cpu
    server_cpu_after, threads_cpu_after = _tree_cpu_seconds(server_pid)
    stats.server_cpu = server_cpu_after - server_cpu
    threads_cpu_after.subtract(threads_cpu)
    stats.threads_cpu = threads_cpu_after
    for device in devices:
        device.http.close()
        device.twin.close()
    return stats


def measure(edge: ServiceProcess, db_path: str, codes: list[str], first: int, count: int, args,
            pace: float) -> dict:
    """Run `count` devices (numbered from `first`) for the measured seconds; return the figures and the checks."""
    before = stock_by_location(db_path)
    stats = asyncio.run(run_level(edge.port, edge.process.pid, codes, first, count, args.seconds, args.replay_share,
                                  count, pace))
    after = stock_by_location(db_path)
    drift = sum(1 for loc in before if before[loc] - after[loc] != stats.picked_by_location.get(loc, 0))
    figures = {"confirms_per_s": round(stats.confirms / stats.elapsed),
               "p50_ms": round(percentile(stats.latencies, 0.50), 2),
               "p95_ms": round(percentile(stats.latencies, 0.95), 2),
               "p99_ms": round(percentile(stats.latencies, 0.99), 2),
               "errors": stats.errors, "drift": drift, "double_applied": double_applied_ops(db_path),
               "replays": stats.replays, "replays_answered_as_replay": stats.replays_answered_as_replay,
               "no_task_answers": stats.no_task_answers,
               "loadgen_cpu_cores": round(stats.loadgen_cpu / stats.elapsed, 2),
               "server_cpu_cores": round(stats.server_cpu / stats.elapsed, 2),
               "server_cpu_ms_per_confirm": round(1000 * stats.server_cpu / max(stats.confirms, 1), 2),
               "server_threads_cpu_cores": {name: round(cpu / stats.elapsed, 2) for name, cpu
                                            in stats.threads_cpu.most_common(5) if cpu / stats.elapsed >= 0.01}}
    if args.centre:
        figures["sync_lag_events"] = SqliteOutboxStore(db_path, "up").depth()
    if pace:
        figures = {"offered_per_s": round(count * pace), **figures}
    log.info("%d devices%s: %s", count, f" at {pace:g} confirms/s each" if pace else "", figures)
    if stats.no_task_answers:
        log.warning("%d devices: the site ran out of open tasks %d times: these figures undercount; raise --orders",
                    count, stats.no_task_answers)
    return figures


@contextmanager
def centre_for(broker_url: str, work: Path, wanted: bool):
    """Run an acknowledging centre beside the edge, at the lowest priority: in production it is another machine."""
    if not wanted:
        yield None
        return
    centre = subprocess.Popen(["nice", "-n", "19", sys.executable, "-m", "bench.sync_peers", "centre", "--url",
                               broker_url, "--db", migrate(str(work / "centre.db"))], stdin=subprocess.DEVNULL)
    try:
        yield centre
    finally:
        centre.terminate()
        centre.wait(timeout=30)


def summarise(runs: list[dict]) -> dict:
    """One run's figures as they are; several runs: each figure's median, the checks summed, and the spread."""
    if len(runs) == 1:
        return runs[0]
    checks = ("errors", "drift", "double_applied", "no_task_answers")

    def median_of(name: str):
        if isinstance(runs[0][name], dict):  # by thread name: each name's median, 0 in a run that did not list it
            names = {key: None for run in runs for key in run[name]}
            return {key: statistics.median(run[name].get(key, 0.0) for run in runs) for key in names}
        return statistics.median(run[name] for run in runs)

    summary = {name: sum(run[name] for run in runs) if name in checks else median_of(name) for name in runs[0]}
    for name in ("confirms_per_s", "p99_ms"):
        summary[f"{name}_range"] = [min(run[name] for run in runs), max(run[name] for run in runs)]
    return {**summary, "runs": len(runs)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench-edge_api", description=__doc__)
    parser.add_argument("--devices", default="10,50,100,200", help="device counts to run (default: %(default)s)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per device count")
    parser.add_argument("--orders", type=int, default=0,
                        help="orders released before the run (default: 4,000 for each --repeat)")
    parser.add_argument("--replay-share", type=float, default=0.05, help="share of confirms sent twice")
    parser.add_argument("--pace", type=float, default=20.0,
                        help="also run each device count with every device confirming this many times a second on a "
                             "steady timetable (0: only as fast as answers come; default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each device count (and pace) this many times with fresh devices and report each "
                             "figure's median, with the range of confirms/s and p99 (this VM's speed drifts between "
                             "runs; default: %(default)s)")
    parser.add_argument("--centre", action=argparse.BooleanOptionalAction, default=True,
                        help="run a centre that acknowledges every event (bench.sync_peers, at nice 19: in production "
                             "it is another machine), so the site agent publishes its outbox as in production; each "
                             "run reports the outbox rows not yet acknowledged at its end (sync_lag_events); "
                             "--no-centre: the agent publishes nothing (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=2,
                        help="wes-edge serve --workers: 2 or more = the site agent and N-1 HTTP worker processes "
                             "(1: waitress in one process)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    counts = [int(c) for c in args.devices.split(",")]
    runs = [(count, pace) for count in counts for pace in ((0.0, args.pace) if args.pace else (0.0,))]
    runs = [run for run in runs for _ in range(max(1, args.repeat))]
    pickers = sum(count for count, _ in runs)  # fresh pickers for every run, repeats included
    args.orders = args.orders or 4000 * max(1, args.repeat)
    work = Path(tempfile.mkdtemp(prefix="wes-bench-edge-"))
    db_path = str(work / f"edge-{SITE}.db")
    log.info("building a site with %d pickers and %d orders in %s", pickers, args.orders, work)
    build_site(db_path, work, pickers=pickers, locations=1000, orders=args.orders, lines=4, qty=UNITS_PER_LINE)
    codes = enrolment_codes(db_path, pickers)
    results: dict[str, dict] = {}
    with MosquittoBroker(workdir=str(work / "mqtt")) as broker, centre_for(broker.url, work, args.centre):
        edge = ServiceProcess("edge", ["--site", SITE, "--db", db_path, "--mqtt-url", broker.url,
                                       "--workers", str(args.workers)],
                              free_port(), work / "edge.log").start()
        try:
            first, repeated = 1, {}
            for count, pace in runs:  # fresh devices and pickers for every run
                repeated.setdefault((count, pace), []).append(measure(edge, db_path, codes, first, count, args, pace))
                first += count
            for (count, pace), figures in repeated.items():
                if pace:
                    results[str(count)]["paced"] = summarise(figures)
                else:
                    results[str(count)] = summarise(figures)
        finally:
            edge.stop()
    print(json.dumps({"bench": "edge_api", "machine": f"{platform.machine()}, Python {platform.python_version()}",
                      "server": f"wes-edge serve --workers {args.workers}", "pace_per_device": args.pace,
                      "centre": args.centre,
                      "devices": results}))


if __name__ == "__main__":
    main()
