"""Benchmark: render time of each central ops page over a network of 50 sites (500k ledger events, 20k orders).

Builds the centre's database in bulk (tables as the centre writes them: sites, orders with lines and history,
stock, and a day of site events in the ledger), then requests each page N times through the Flask app.
Prints p50/p95 per page and one JSON line as its last output. Not part of `make test`.
"""
import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from central.adapters.migrations import migrate
from central.web import create_app


class IdleHub:
    def nudge(self) -> None:
        pass

    def health(self) -> dict:
        return {"connected": True, "dead_letters": 0}


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def build_network(db_path: str, sites: int, orders: int, events: int, seed: int = 11) -> dict:
    """Fill a centre database: sites, items, stock, orders at every stage, and a day of ledger events."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    migrate(db_path)
    conn = sqlite3.connect(db_path)
    site_ids = [f"DC{n:02d}" for n in range(1, sites + 1)]
    skus = [f"SKU-{n:05d}" for n in range(2000)]
    locations = [f"{z}-{a:02d}-{b:02d}" for z in "ABCD" for a in range(1, 11) for b in range(1, 6)]
    statuses = ("allocated",) * 3 + ("released",) * 3 + ("picking",) * 4 + ("picked", "packed") + ("shipped",) * 10
    with conn:
        conn.executemany("INSERT INTO sites (site_id, name, online, last_state, last_seen_at) VALUES (?,?,?,?,?)",
                         [(s, f"Site {s}", int(rng.random() > 0.1),
                           json.dumps({"online": True, "epoch": 1, "last_seq": events // sites + rng.randint(0, 50),
                                       "outbox_depth": rng.randint(0, 50)}), stamp(now)) for s in site_ids])
        conn.executemany("INSERT INTO items (sku, description) VALUES (?, ?)", [(s, s.title()) for s in skus])
        conn.executemany("INSERT INTO stock (site_id, location, sku, lot, qty) VALUES (?, ?, ?, '', ?)",
                         [(s, loc, rng.choice(skus), rng.randint(-1, 500)) for s in site_ids for loc in locations])
        order_rows, lines, history, per_site = [], [], [], {s: [] for s in site_ids}
        for n in range(1, orders + 1):
            order_id, site = f"SO-{n:06d}", rng.choice(site_ids)
            status = rng.choice(statuses)
            created = now - timedelta(hours=rng.uniform(0.5, 72))
            ship = (created + timedelta(days=rng.choice((0, 1, 1, 2)))).date().isoformat()
            order_rows.append((order_id, f"Customer {n % 700}", rng.randint(1, 9), ship, status, site, stamp(created),
                               stamp(created)))
            for line_no in range(1, rng.randint(1, 4) + 1):
                qty = rng.randint(1, 20)
                picked = qty if status in ("picked", "packed", "shipped") else rng.randint(0, qty) * (status == "picking")
                lines.append((order_id, line_no, rng.choice(skus), qty, picked, 0))
            history.append((order_id, "received", stamp(created), "centre"))
            history.append((order_id, "allocated", stamp(created), "centre"))
            if status == "shipped":
                history.append((order_id, "shipped", stamp(created + timedelta(hours=rng.uniform(2, 30))), site))
            per_site[site].append(order_id)
        conn.executemany("INSERT INTO orders (order_id, customer, priority, requested_ship_date, status, site_id,"
                         " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)", order_rows)
        conn.executemany("INSERT INTO order_lines VALUES (?,?,?,?,?,?)", lines)
        conn.executemany("INSERT INTO order_status_history (order_id, status, at, source) VALUES (?,?,?,?)", history)
        ledger, seqs = [], {s: 0 for s in site_ids}
        kinds = ("stock.changed",) * 8 + ("task.picked",) * 7 + ("order.status_changed",) * 3 + ("scan.rejected",
                                                                                                   "task.shorted")
        for moment in sorted(now - timedelta(seconds=rng.uniform(0, 86400)) for _ in range(events)):
            site = rng.choice(site_ids)
            seqs[site] += 1
            kind = rng.choice(kinds)
            order_id = rng.choice(per_site[site]) if per_site[site] else "SO-000001"
            loc, sku = rng.choice(locations), rng.choice(skus)
            data = {"stock.changed": lambda: {"location": loc, "sku": sku, "lot": "", "qty_delta": rng.randint(-5, 5),
                                              "reason": "pick", "ref": ""},
                    "task.picked": lambda: {"task_id": "T", "order_id": order_id, "line_no": 1, "sku": sku,
                                            "location": loc, "qty": rng.randint(1, 5), "picker": "BADGE-0001"},
                    "task.shorted": lambda: {"task_id": "T", "order_id": order_id, "line_no": 1, "sku": sku,
                                             "location": loc, "qty_short": 1, "reason": "empty", "picker": "B"},
                    "scan.rejected": lambda: {"task_id": "T", "step": "item", "expected": "A", "scanned": "B",
                                              "picker": "B"},
                    "order.status_changed": lambda: {"order_id": order_id, "status": "picking", "note": ""}}[kind]()
            ledger.append((site, 1, seqs[site], str(uuid.uuid4()), kind, stamp(moment), stamp(moment), "HH-01", None,
                           json.dumps(data), stamp(moment + timedelta(seconds=1)), "applied", None))
        conn.executemany("INSERT INTO sync_inbox VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", ledger)
        conn.executemany("INSERT INTO sync_inbox_cursor (stream, epoch, hwm, updated_at) VALUES (?, 1, ?, ?)",
                         [(s, seqs[s], stamp(now - timedelta(minutes=rng.uniform(0, 30)))) for s in site_ids])
        conn.executemany("INSERT INTO sync_dead_letters (topic, payload, reason, received_at) VALUES (?,?,?,?)",
                         [(f"wes/v1/{s}/up/events", "{}", "bad payload", stamp(now)) for s in site_ids[:5]])
    conn.execute("ANALYZE")
    conn.close()
    return {"sites": sites, "orders": orders, "events": events, "lines": len(lines),
            "sample_order": order_rows[len(order_rows) // 2][0], "sample_site": site_ids[len(site_ids) // 3]}


def timed(client, path: str, rounds: int) -> dict:
    took = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer = client.get(path)
        took.append((time.perf_counter() - start) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
    took.sort()
    return {"p50_ms": round(statistics.median(took), 1), "p95_ms": round(took[min(len(took) - 1, int(0.95 * len(took)))], 1)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Time each central ops page over a large network.")
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=20, help="requests per page")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        db_path = str(Path(workdir) / "central.db")
        start = time.perf_counter()
        built = build_network(db_path, args.sites, args.orders, args.events)
        build_s = round(time.perf_counter() - start, 1)
        client = create_app({"DB_PATH": db_path, "SYNC": IdleHub()}).test_client()
        pages = {"/ops/": "/ops/", "/ops/live": "/ops/live", "/ops/orders": "/ops/orders",
                 "/ops/orders?filters": f"/ops/orders?status=picking&site={built['sample_site']}&customer=customer 1",
                 "/ops/orders?at_risk=1": "/ops/orders?at_risk=1", "/ops/orders/<id>": f"/ops/orders/{built['sample_order']}",
                 "/ops/kpis?hours=24": "/ops/kpis?hours=24", "/ops/kpis?hours=168": "/ops/kpis?hours=168",
                 "/ops/at-risk": "/ops/at-risk", "/ops/anomalies": "/ops/anomalies",
                 "/ops/anomalies?hours=24": "/ops/anomalies?hours=24",
                 "/ops/sync": "/ops/sync"}
        results = {}
        for name, path in pages.items():
            client.get(path)  # warm the connection pool and the templates
            results[name] = timed(client, path, args.rounds)
            print(f"{name:28s} p50 {results[name]['p50_ms']:8.1f} ms   p95 {results[name]['p95_ms']:8.1f} ms", flush=True)
    report = {"bench": "ops", "sites": built["sites"], "orders": built["orders"], "order_lines": built["lines"],
              "events": built["events"], "rounds": args.rounds, "build_s": build_s, "pages": results}
    print(json.dumps(report))
    return report


if __name__ == "__main__":
    main()
