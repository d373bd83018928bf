"""Benchmark: render time of each dashboard page on a realistic site (200 pickers, 20,000 open tasks).

Builds the site database in bulk (tables as the edge writes them, plus a shift of events in the outbox for the
KPIs), logs a lead in, then requests each page N times through the Flask app. Prints one JSON line as its last
output. Not part of `make test`.
"""
import argparse
import json
import random
import sqlite3
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from edge.adapters.migrations import init_database
from edge.bootstrap import add_staff_user
from edge.web import create_app

PAGES = ("/", "/floor/live", "/exceptions", "/kpis", "/people", "/sync")
ZONES = "ABCDEFGH"
PASSWORD = "bench-password-1"


class IdleSync:
    def nudge(self) -> None:
        pass

    def health(self) -> dict:
        return {"connected": True, "central_online": True, "outbox_depth": 0}


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def build_site(db_path: str, pickers: int, open_tasks: int, seed: int = 7) -> dict:
    """Fill a site database: locations, pickers signed in, orders with open and done tasks, a shift of events."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    init_database(db_path, "DC01")
    conn = sqlite3.connect(db_path)
    locations = [(f"{z}-{a:02d}-{b:02d}", f"LOC-{z}-{a:02d}-{b:02d}", z, i)
                 for i, (z, a, b) in enumerate(((z, a, b) for z in ZONES for a in range(1, 26) for b in range(1, 11)))]
    skus = [f"SKU-{n:05d}" for n in range(3000)]
    badges = [f"BADGE-{n:04d}" for n in range(1, pickers + 1)]
    with conn:
        conn.executemany("INSERT INTO locations VALUES (?,?,?,?)", locations)
        conn.executemany("INSERT INTO items (sku, description) VALUES (?, ?)", [(s, s.title()) for s in skus])
        conn.executemany("INSERT INTO stock (location, sku, lot, qty) VALUES (?, ?, '', ?)",
                         [(loc[0], rng.choice(skus), rng.randint(10, 500)) for loc in locations])
        conn.executemany("INSERT INTO pickers VALUES (?, ?, 'x')", [(b, f"Picker {b[-4:]}") for b in badges])
        conn.executemany("INSERT INTO sessions VALUES (?, ?, ?, ?)",
                         [(uuid.uuid4().hex, b, f"HH-{b[-4:]}", stamp(now - timedelta(hours=rng.uniform(0, 7))))
                          for b in badges])
        conn.executemany("INSERT INTO devices (device_id, token_hash, enrolled_at) VALUES (?, ?, ?)",
                         [(f"HH-{b[-4:]}", uuid.uuid4().hex, stamp(now - timedelta(days=3))) for b in badges])
        orders, tasks, events, ops, task_no = [], [], [], [], 0
        done_tasks = open_tasks // 2  # a shift already half done
        order_no = 0
        while task_no < open_tasks + done_tasks:
            order_no += 1
            order_id = f"SO-{order_no:06d}"
            released = now - timedelta(minutes=rng.uniform(5, 420))
            lines = rng.randint(1, 6)
            worked = task_no >= open_tasks
            orders.append((order_id, f"Customer {order_no % 500}", rng.randint(1, 9),
                           (now + timedelta(days=rng.choice((0, 0, 1)))).date().isoformat(),
                           "picking" if worked else "released", stamp(released)))
            events.append(("order.status_changed", stamp(released), {"order_id": order_id, "status": "released"}))
            for line in range(1, lines + 1):
                task_no += 1
                loc = rng.choice(locations)
                status, picker, picked = "open", None, 0
                if worked:
                    status, picker, picked = rng.choice(("picked",) * 30 + ("short",)), rng.choice(badges), 1
                    at = stamp(released + timedelta(minutes=rng.uniform(1, 60)))
                    events.append(("task.picked", at, {"task_id": f"DC01-T{task_no:06d}", "order_id": order_id,
                                                       "line_no": line, "sku": "SKU-00001", "location": loc[0],
                                                       "qty": 1, "picker": picker}))
                    ops.append((uuid.uuid4().hex, picker, f"HH-{picker[-4:]}", "confirm_pick", "h", 200, "{}", at))
                    if status == "short":
                        events.append(("task.shorted", at, {"task_id": f"DC01-T{task_no:06d}", "order_id": order_id,
                                                            "line_no": line, "sku": "SKU-00001", "location": loc[0],
                                                            "qty_short": 1, "reason": "empty", "picker": picker}))
                elif rng.random() < 0.04:
                    status, picker = rng.choice(("assigned", "at_location")), rng.choice(badges)
                tasks.append((f"DC01-T{task_no:06d}", order_id, line, rng.choice(skus), loc[0],
                              1 + (status == "short"), picked, status, picker, loc[3]))
            if worked and rng.random() < 0.5:
                shipped = stamp(released + timedelta(minutes=rng.uniform(60, 240)))
                events.append(("order.status_changed", shipped, {"order_id": order_id, "status": "shipped"}))
        conn.executemany("INSERT INTO orders (order_id, customer, priority, requested_ship_date, status, released_at)"
                         " VALUES (?,?,?,?,?,?)", orders)
        conn.executemany("INSERT INTO tasks (task_id, order_id, line_no, sku, location, qty, picked_qty, status,"
                         " picker, pick_seq) VALUES (?,?,?,?,?,?,?,?,?,?)", tasks)
        conn.executemany("INSERT INTO ops VALUES (?,?,?,?,?,?,?,?)", ops)
        conn.executemany("INSERT INTO scan_errors (task_id, step, expected, scanned, badge, device_id, at)"
                         " VALUES (?, 'item', 'SKU-1', 'SKU-2', ?, 'HH', ?)",
                         [(rng.choice(tasks)[0], rng.choice(badges), stamp(now)) for _ in range(2000)])
        conn.execute("INSERT OR IGNORE INTO sync_outbox_cursor (stream, epoch) VALUES ('up', 1)")
        conn.executemany("INSERT INTO sync_outbox (stream, seq, event_id, type, occurred_at, recorded_at, data)"
                         " VALUES ('up', ?, ?, ?, ?, ?, ?)",
                         [(seq, uuid.uuid4().hex, kind, at, at, json.dumps(data))
                          for seq, (kind, at, data) in enumerate(events, start=1)])
    conn.execute("ANALYZE")
    conn.close()
    return {"pickers": pickers, "open_tasks": open_tasks, "tasks": len(tasks), "orders": len(orders),
            "events": len(events)}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--pickers", type=int, default=200)
    parser.add_argument("--open-tasks", type=int, default=20_000)
    args = parser.parse_args()
    db_path = str(Path(tempfile.mkdtemp(prefix="wes-bench-dash-")) / "edge-DC01.db")
    site = build_site(db_path, args.pickers, args.open_tasks)
    add_staff_user(db_path, "DC01", "lead", "lead", PASSWORD)
    app = create_app({"SITE_ID": "DC01", "DB_PATH": db_path, "SYNC": IdleSync()})
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"username": "lead", "password": PASSWORD, "csrf_token": token}).status_code == 302
    pages = {}
    for path in PAGES:
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            answer = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, (path, answer.status_code)
        pages[path] = {"p50_ms": round(percentile(timings, 0.5), 1), "p95_ms": round(percentile(timings, 0.95), 1),
                       "bytes": len(answer.data)}
        print(f"{path:14} p50 {pages[path]['p50_ms']:8.1f} ms   p95 {pages[path]['p95_ms']:8.1f} ms", flush=True)
    print(json.dumps({"bench": "dashboard", **site, "requests_per_page": args.requests, "pages": pages}))


if __name__ == "__main__":
    main()
