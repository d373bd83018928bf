"""Benchmark: the command writer's own cost per hot command, by group-commit size, in one process.

The site agent's command writer runs every handheld write, one group commit at a time, on one thread: its time per
command caps the edge. This runs the real pick flow (next task, location scan, one confirm per unit) for `size`
pickers at once (signed in or not: the HTTP layer checks that), as the writer does: one command per picker in each
group commit (`commit_batch`, the same job as the writer), and reports the thread's CPU and wall time per command for each size. Small commits are what paced
pickers make; big ones what a saturated edge makes. No HTTP and no socket: only the writer's share of the work.
Prints one JSON line last.
"""
import argparse
import json
import logging
import platform
import tempfile
import time
import uuid
from pathlib import Path

from edge.adapters.group_commit import Slot, commit_batch
from edge.bootstrap import hot_command_job, prepare_site
from edge.service.commands import AssignNextTask, ScanLocation
from edge.service.messagebus import prepared_handler
from edge.web.api.lean_args import read_location_scan, read_pick
from edge.web.api.picking import location_scan_command, next_task_command, pick_command

from .edge_api import UNITS_PER_LINE
from .edge_load_site import SITE, build_site

log = logging.getLogger("bench.edge_writer")


class Picker:
    """One picker's walk: the next command to send, and what its answer tells about the task."""

    def __init__(self, n: int):
        self.badge, self.device_id, self.task = f"BADGE-{n:04d}", f"HH-{n:04d}", None

    def next_command(self):
        who = {"badge": self.badge, "device_id": self.device_id}
        task = self.task
        if task is None or task["picked_qty"] >= task["qty"]:
            return next_task_command(who)
        if task["next_step"] == "scan_location":
            body = read_location_scan({"op_id": str(uuid.uuid4()), "barcode": task["location_barcode"]})
            return location_scan_command(task["task_id"], body, who)
        body = read_pick({"op_id": str(uuid.uuid4()), "barcode": task["item_barcodes"][-1], "qty": 1})
        return pick_command(task["task_id"], body, who)

    def answered(self, cmd, result) -> int:
        """Follow the answer; return 1 for a confirmed pick."""
        if isinstance(cmd, AssignNextTask):
            self.task = result["task"]
        elif isinstance(cmd, ScanLocation):
            self.task = {**self.task, "next_step": "pick"}
        else:
            self.task = {**self.task, "picked_qty": self.task["picked_qty"] + 1}
            return 1
        return 0


def run_commits(db_path: str, pickers: list[Picker], commits: int) -> tuple[int, int, float, float]:
    """Run `commits` group commits of one command per picker; return commands, picks, CPU s and wall s."""
    job, picks = hot_command_job(None), 0
    cpu, wall = time.thread_time(), time.perf_counter()
    for _ in range(commits):
        commands = [picker.next_command() for picker in pickers]
        slots = [Slot(lambda db, handler=prepared_handler(cmd), cmd=cmd: job(handler, cmd, db)) for cmd in commands]
        _, committed = commit_batch(db_path, lambda: slots)
        if not committed:
            raise RuntimeError(slots[0].error)
        for picker, cmd, slot in zip(pickers, commands, slots):
            if slot.error is not None:
                raise slot.error
            picks += picker.answered(cmd, slot.result)
    return commits * len(pickers), picks, time.thread_time() - cpu, time.perf_counter() - wall


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench-edge_writer", description=__doc__)
    parser.add_argument("--sizes", default="1,5,20", help="commands per group commit (default: %(default)s)")
    parser.add_argument("--commands", type=int, default=6000, help="commands measured per size")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    sizes = [int(size) for size in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="wes-bench-writer-"))
    db_path = str(work / f"edge-{SITE}.db")
    units = sum(args.commands + 30 * size for size in sizes)
    build_site(db_path, work, pickers=sum(sizes), locations=1000, orders=units // (4 * UNITS_PER_LINE) + 100,
               lines=4, qty=UNITS_PER_LINE)
    prepare_site(SITE, db_path)
    results, first = {}, 1
    for size in sizes:
        pickers = [Picker(first + i) for i in range(size)]
        first += size
        run_commits(db_path, pickers, 30)  # warm-up: statements prepared, pages cached
        commands, picks, cpu, wall = run_commits(db_path, pickers, max(1, args.commands // size))
        results[str(size)] = {"cpu_ms_per_command": round(1000 * cpu / commands, 3),
                              "wall_ms_per_command": round(1000 * wall / commands, 3),
                              "commands_per_s": round(commands / wall), "picks": picks}
        log.info("%d commands per group commit: %s", size, results[str(size)])
    print(json.dumps({"bench": "edge_writer", "machine": f"{platform.machine()}, Python {platform.python_version()}",
                      "sizes": results}))


if __name__ == "__main__":
    main()
