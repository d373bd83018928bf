"""Build a busy site for the edge load benchmark: many pickers, locations and released orders, in one database."""
import json
import sqlite3
import uuid
from pathlib import Path

from edge.adapters.central_inbox import apply_command
from edge.bootstrap import create_enrolment_code, seed_site
from protocols.labels import with_check_digit
from sync.sqlite_store import write_transaction

SITE = "BENCH"
PIN = "1234"
STOCK_PER_LOCATION = 1_000_000


def sku(n: int) -> str:
    return f"SKU-{n:05d}"


def gtin(n: int) -> str:
    return with_check_digit(f"0501234{n:06d}")


def build_site(db_path: str, workdir: Path, pickers: int, locations: int, orders: int, lines: int, qty: int) -> None:
    """Seed locations (one SKU each, deep stock), pickers, and allocate orders so their tasks are open."""
    seed = {"site_id": SITE,
            "locations": [{"location": f"L-{n:05d}", "barcode": f"LOC-L-{n:05d}", "zone": "ABCD"[n % 4],
                           "pick_seq": n} for n in range(1, locations + 1)],
            "pickers": [{"badge": f"BADGE-{n:04d}", "name": f"Picker {n}", "pin": PIN} for n in range(1, pickers + 1)],
            "stock": [{"location": f"L-{n:05d}", "sku": sku(n), "qty": STOCK_PER_LOCATION}
                      for n in range(1, locations + 1)]}
    seed_path = workdir / "seed.json"
    seed_path.write_text(json.dumps(seed))
    seed_site(db_path, SITE, str(seed_path))
    for order_no in range(1, orders + 1):
        order_lines = []
        for line_no in range(1, lines + 1):
            n = (order_no * lines + line_no) % locations + 1
            order_lines.append({"line_no": line_no, "sku": sku(n), "qty": qty,
                                "item": {"sku": sku(n), "description": f"Item {n}", "gtins": [gtin(n)]}})
        event = {"seq": order_no, "event_id": str(uuid.uuid4()), "type": "order.allocated",
                 "occurred_at": "2026-01-05T06:00:00+00:00", "recorded_at": "2026-01-05T06:00:01+00:00",
                 "device_id": None, "op_id": None,
                 "data": {"order_id": f"SO-{order_no:06d}", "customer": "Load Test Ltd", "priority": 5,
                          "requested_ship_date": "2026-01-06", "lines": order_lines}}
        with write_transaction(db_path) as db:
            apply_command(db, SITE, event)


def enrolment_codes(db_path: str, count: int) -> list[str]:
    """Mint one single-use enrolment code per simulated handheld."""
    return [create_enrolment_code(db_path, SITE)["enrolment_code"] for _ in range(count)]


def stock_by_location(db_path: str) -> dict[str, int]:
    """Return each location's stock (one SKU per location here)."""
    conn = sqlite3.connect(db_path)
    try:
        return dict(conn.execute("SELECT location, SUM(qty) FROM stock WHERE location LIKE 'L-%' GROUP BY location"))
    finally:
        conn.close()


def double_applied_ops(db_path: str) -> int:
    """Count op_ids that produced more than one pick event (must be 0)."""
    conn = sqlite3.connect(db_path)
    try:
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM (SELECT op_id FROM sync_outbox WHERE type = 'task.picked' AND op_id IS NOT NULL"
            " GROUP BY op_id HAVING COUNT(*) > 1)").fetchone()
        return count
    finally:
        conn.close()
