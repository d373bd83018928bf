"""Fault-injection run: pickers work while the site, the centre and the broker are killed at random.

After the faults stop and the work is done, check the invariants: every site event is in the
centre's ledger exactly once with contiguous seqs, every handheld op maps to its events exactly
once, the centre's stock for the site equals the site's own, and every order is shipped on both
sides. Prints a JSON summary as its last line; exits 0 only if every invariant holds.
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
from pathlib import Path

from handheld.picker_sim import PickerSim

from .demo import SITE, sample_orders, wait_for
from .mosquitto import MosquittoBroker, free_port
from .processes import SAMPLE_DIR, central_process, edge_process, http_json, mint_enrolment_code, stock_map

log = logging.getLogger("wes-chaos")
FAULTS = ("kill_edge", "kill_central", "kill_broker", "restart_edge", "restart_central")


class Chaos:
    """Own the processes and inject one fault at a time, bringing the victim back after a pause."""

    def __init__(self, workdir: Path, rng: random.Random):
        self.workdir, self.rng = workdir, rng
        self.broker = MosquittoBroker(workdir=str(workdir / "mqtt"))
        self.central = central_process(workdir, self.broker.url, free_port(), resend_after=2)
        self.edge = edge_process(workdir, SITE, self.broker.url, free_port(), resend_after=2)
        self.injected: dict[str, int] = {fault: 0 for fault in FAULTS}

    def start(self) -> None:
        self.broker.start()
        self.central.start()
        self.edge.start()

    def stop(self) -> None:
        self.edge.stop()
        self.central.stop()
        self.broker.stop()

    def inject(self) -> str:
        fault = self.rng.choice(FAULTS)
        victim = {"edge": self.edge, "central": self.central, "broker": self.broker}[fault.split("_")[1]]
        if fault.startswith("kill"):
            victim.kill()
        else:
            victim.stop()
        time.sleep(self.rng.uniform(0.2, 3.0))  # outage length
        victim.start()
        self.injected[fault] += 1
        return fault


def ledger_rows(db: Path, sql: str, args=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def check_invariants(workdir: Path, central_url: str, edge_url: str, order_ids: list[str]) -> dict:
    edge_db, central_db = workdir / f"edge-{SITE}.db", workdir / "central.db"
    outbox = ledger_rows(edge_db, "SELECT seq, event_id, op_id FROM sync_outbox WHERE stream = 'up' ORDER BY seq")
    ledger = ledger_rows(central_db, "SELECT seq, event_id, op_id FROM sync_inbox WHERE stream = ? ORDER BY seq", [SITE])
    rejected = ledger_rows(central_db, "SELECT COUNT(*) FROM sync_inbox WHERE outcome != 'applied'")[0][0]
    ops_with_events = {op for _, _, op in outbox if op}
    ledger_ops = [op for _, _, op in ledger if op]
    central_statuses = [http_json("GET", f"{central_url}/api/v1/orders/{oid}")[1]["status"] for oid in order_ids]
    edge_statuses = [row[0] for row in ledger_rows(edge_db, "SELECT status FROM orders")]
    central_stock = stock_map(http_json("GET", f"{central_url}/api/v1/sites/{SITE}/stock")[1]["stock"])
    edge_stock = stock_map(http_json("GET", f"{edge_url}/api/v1/stock")[1])
    return {
        "every_event_exactly_once": ledger == outbox,
        "seqs_contiguous": [row[0] for row in ledger] == list(range(1, len(ledger) + 1)),
        "no_duplicate_event_ids": len({row[1] for row in ledger}) == len(ledger),
        "ops_map_to_events_once": set(ledger_ops) == ops_with_events
                                  and len(ledger_ops) == len([op for _, _, op in outbox if op]),
        "no_rejected_events": rejected == 0,
        "inventory_matches": central_stock == edge_stock,
        "all_shipped_both_sides": central_statuses.count("shipped") == len(order_ids) == edge_statuses.count("shipped"),
    }


def run(seconds: float, orders: int, seed: int, workdir: Path) -> dict:
    rng = random.Random(seed)
    chaos = Chaos(workdir, rng)
    stop_pickers = threading.Event()
    started = time.monotonic()
    try:
        chaos.start()
        wait_for(lambda: http_json("GET", f"{chaos.central.url}/api/v1/sites/{SITE}/stock")[1].get("stock"), 60,
                 "the centre to learn the site's stock")
        order_ids = [http_json("POST", f"{chaos.central.url}/api/v1/orders", order)[1]["order_id"]
                     for order in sample_orders(orders, seed)]
        pickers = json.loads((SAMPLE_DIR / f"{SITE}.json").read_text())["pickers"]
        for n, picker in enumerate(pickers, start=1):
            sim = PickerSim(chaos.edge.url, picker["badge"], picker["pin"], f"HH-CHAOS-{n:02d}",
                            wrong_scan_rate=0.05, seed=seed + n,
                            enrolment_code=mint_enrolment_code(workdir, SITE))
            threading.Thread(target=sim.run, args=(stop_pickers,), daemon=True).start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(0.5, 3.0))
            log.info("injected %s", chaos.inject())

        def shipped() -> bool:
            got = http_json("GET", f"{chaos.central.url}/api/v1/orders?status=shipped&limit=1000")[1]
            return isinstance(got, list) and len(got) >= len(order_ids)
        wait_for(shipped, 180, "every order to be shipped at the centre after the faults")
        stop_pickers.set()
        wait_for(lambda: http_json("GET", f"{chaos.edge.url}/api/v1/sync")[1].get("outbox_depth") == 0, 60,
                 "the site's outbox to drain")
        checks = check_invariants(workdir, chaos.central.url, chaos.edge.url, order_ids)
        events = ledger_rows(workdir / "central.db", "SELECT COUNT(*) FROM sync_inbox")[0][0]
        return {"bench": "chaos", "ok": all(checks.values()), **checks, "faults": chaos.injected,
                "orders": len(order_ids), "events": events, "seconds": round(time.monotonic() - started, 1),
                "seed": seed}
    finally:
        stop_pickers.set()
        chaos.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wes-chaos", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=300, help="how long to inject faults (default 300)")
    parser.add_argument("--orders", type=int, default=60, help="orders to work through (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="random seed, to replay a run")
    parser.add_argument("--workdir", help="keep databases and logs here (default: a temp folder, removed on success)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="wes-chaos-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        result = run(args.seconds, args.orders, args.seed, workdir)
    except (RuntimeError, TimeoutError) as err:
        result = {"bench": "chaos", "ok": False, "error": str(err), "workdir": str(workdir), "seed": args.seed}
    if result["ok"] and not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    elif not result["ok"]:
        result["workdir"] = str(workdir)
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
