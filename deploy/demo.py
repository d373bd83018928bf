"""Run the whole system on one machine: broker, central hub, one site, simulated pickers."""
import argparse
import json
import logging
import random
import shutil
import sys
import threading
import time
from pathlib import Path

from handheld.picker_sim import PickerSim

from .mosquitto import INSTALL_HINT, MosquittoBroker, find_mosquitto, free_port
from .processes import (SAMPLE_DIR, add_dashboard_user, central_process, edge_process, http_json, mint_enrolment_code,
                        stock_map, wait_until)

log = logging.getLogger("wes-demo")
SITE = "DC01"


def port_or_free(preferred: int) -> int:
    import socket
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            return free_port()


def sample_orders(count: int, seed: int = 42) -> list[dict]:
    """Make `count` realistic orders from the sample catalogue."""
    items = json.loads((SAMPLE_DIR / "catalogue.json").read_text())["items"]
    rng = random.Random(seed)
    orders = []
    for n in range(1, count + 1):
        lines = [{"sku": item["sku"], "qty": rng.randint(1, 4)} for item in rng.sample(items, rng.randint(1, 3))]
        orders.append({"external_ref": f"WEB-{seed}-{n:05d}", "customer": f"Customer {rng.randint(100, 999)}",
                       "priority": rng.randint(1, 9), "requested_ship_date": "2026-12-01", "lines": lines})
    return orders


def wait_for(check, timeout: float, what: str) -> None:
    """Wait for check() at a calm pace (the demo polls real HTTP endpoints)."""
    wait_until(check, timeout, what, interval=0.25)


def summary(central_url: str, edge_url: str, order_ids: list[str], started: float) -> dict:
    statuses = [http_json("GET", f"{central_url}/api/v1/orders/{oid}")[1]["status"] for oid in order_ids]
    edge_sync = http_json("GET", f"{edge_url}/api/v1/sync")[1]
    central_sync = http_json("GET", f"{central_url}/api/v1/sync")[1]
    streams = [s for s in central_sync.get("event_streams", []) if s["stream"] == SITE]
    edge_stock = stock_map(http_json("GET", f"{edge_url}/api/v1/stock")[1])
    central_stock = stock_map(http_json("GET", f"{central_url}/api/v1/sites/{SITE}/stock")[1]["stock"])
    metrics = http_json("GET", f"{edge_url}/api/v1/metrics")[1]
    return {
        "orders": len(order_ids), "orders_shipped": statuses.count("shipped"),
        "events_synced": sum(s["hwm"] for s in streams), "edge_events": edge_sync.get("last_seq"),
        "outbox_depth": edge_sync.get("outbox_depth"), "inventory_matches": edge_stock == central_stock,
        "stock_rows": len(edge_stock), "pick_accuracy": metrics.get("pick_accuracy"),
        "wrong_scans": metrics.get("scans_rejected"),
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wes-demo", description=__doc__)
    parser.add_argument("--orders", type=int, default=10, help="sample orders to create (default 10)")
    parser.add_argument("--pickers", type=int, default=2, choices=[1, 2], help="simulated pickers (1 or 2)")
    parser.add_argument("--exit-when-done", action="store_true",
                        help="exit when every order is shipped, printing a JSON summary as the last line")
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds (unattended)")
    parser.add_argument("--workdir", default=".demo", help="where databases and logs go (wiped at start)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if not find_mosquitto():
        print(INSTALL_HINT, file=sys.stderr)
        return 2

    workdir = Path(args.workdir).resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    broker = MosquittoBroker(workdir=str(workdir / "mqtt")).start()
    central = central_process(workdir, broker.url, port_or_free(8000))
    edge = edge_process(workdir, SITE, broker.url, port_or_free(8001))
    stop = threading.Event()
    started = time.monotonic()
    try:
        central.start()
        edge.start()
        lead_password = add_dashboard_user(workdir, SITE, "lead", "lead")
        print(f"\n  Central hub API   {central.url}/api/v1/orders   (OpenAPI: {central.url}/api/openapi.json)")
        print(f"  Site {SITE} edge    {edge.url}/   (handheld API: {edge.url}/api/v1, OpenAPI: {edge.url}/api/openapi.json)")
        print(f"  Site dashboard    {edge.url}/   log in as lead, password {lead_password}")
        print(f"  MQTT broker       {broker.url}\n  Logs              {workdir}\n", flush=True)
        wait_for(lambda: http_json("GET", f"{central.url}/api/v1/sites/{SITE}/stock")[1].get("stock"), 60,
                 f"the centre to receive {SITE}'s stock")
        order_ids = []
        for order in sample_orders(args.orders):
            status, body = http_json("POST", f"{central.url}/api/v1/orders", order)
            if status != 201:
                raise RuntimeError(f"creating an order failed: {status} {body}")
            order_ids.append(body["order_id"])
        log.info("created %d orders at the centre", len(order_ids))
        pickers = json.loads((SAMPLE_DIR / f"{SITE}.json").read_text())["pickers"][: args.pickers]
        for n, picker in enumerate(pickers, start=1):
            sim = PickerSim(edge.url, picker["badge"], picker["pin"], f"HH-DEMO-{n:02d}", wrong_scan_rate=0.05, seed=n,
                            enrolment_code=mint_enrolment_code(workdir, SITE))
            threading.Thread(target=sim.run, args=(stop,), daemon=True).start()
        if not args.exit_when_done:
            print("Pickers are working. Press Ctrl-C to stop everything.", flush=True)
            while True:
                time.sleep(1)

        def all_done() -> bool:
            orders = http_json("GET", f"{central.url}/api/v1/orders?status=shipped&limit=1000")[1]
            return len(orders) >= len(order_ids)
        wait_for(all_done, args.timeout, "every order to be shipped at the centre")
        stop.set()
        wait_for(lambda: http_json("GET", f"{edge.url}/api/v1/sync")[1].get("outbox_depth") == 0, 60,
                 "the site's outbox to drain")
        result = summary(central.url, edge.url, order_ids, started)
        ok = result["orders_shipped"] == len(order_ids) and result["inventory_matches"]
        print(json.dumps(result), flush=True)
        return 0 if ok else 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as err:
        print(f"demo failed: {err} (logs in {workdir})", file=sys.stderr)
        print(json.dumps({"error": str(err)}), flush=True)
        return 1
    finally:
        stop.set()
        edge.stop()
        central.stop()
        broker.stop()


if __name__ == "__main__":
    sys.exit(main())
