"""Read side of waves and batches for the lead's Waves page and API: plain SQL, no domain objects."""
import sqlite3

from edge.domain.batching import BATCH_LIVE
from protocols.status import ORDER_RELEASED, TASK_ASSIGNED, TASK_AT_LOCATION, TASK_DONE, TASK_OPEN

LIVE = ",".join(f"'{status}'" for status in BATCH_LIVE)
DONE = ",".join(f"'{status}'" for status in TASK_DONE)


def candidates(conn: sqlite3.Connection, limit: int = 500) -> list[dict]:
    """Return the released orders nobody has started and no live batch holds, most urgent first."""
    rows = conn.execute(
        "SELECT o.order_id, o.customer, o.priority, o.requested_ship_date,"
        " (SELECT count(*) FROM tasks t WHERE t.order_id = o.order_id AND t.status = ?) AS picks"
        " FROM orders o WHERE o.status = ?"
        " AND EXISTS (SELECT 1 FROM tasks t WHERE t.order_id = o.order_id AND t.status = ?)"
        " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.order_id = o.order_id"
        "  AND (t.status IN (?, ?) OR t.picked_qty > 0))"
        " AND NOT EXISTS (SELECT 1 FROM batch_slots bs JOIN batches b ON b.batch_id = bs.batch_id"
        f"  WHERE bs.order_id = o.order_id AND b.status IN ({LIVE}))"
        " ORDER BY o.priority, o.requested_ship_date, o.order_id LIMIT ?",
        [TASK_OPEN, ORDER_RELEASED, TASK_OPEN, TASK_ASSIGNED, TASK_AT_LOCATION, limit]).fetchall()
    keys = ("order_id", "customer", "priority", "requested_ship_date", "picks")
    return [dict(zip(keys, row)) for row in rows]


def waves(conn: sqlite3.Connection, limit: int = 30) -> list[dict]:
    """Return the newest waves with their batches: status, picker, progress and each slot's order and tote."""
    found = [dict(zip(("wave_id", "rule", "cart_slots", "released_by", "released_at"), row)) for row in conn.execute(
        "SELECT wave_id, rule, cart_slots, released_by, released_at FROM waves ORDER BY released_at DESC, wave_id DESC"
        " LIMIT ?", [limit])]
    for wave in found:
        wave["batches"] = batches(conn, wave["wave_id"])
    return found


def batches(conn: sqlite3.Connection, wave_id: str) -> list[dict]:
    keys = ("batch_id", "status", "picker", "claimed_at", "closed_at")
    found = [dict(zip(keys, row)) for row in conn.execute(
        "SELECT batch_id, status, picker, claimed_at, closed_at FROM batches WHERE wave_id = ? ORDER BY batch_id",
        [wave_id])]
    for batch in found:
        batch["slots"] = [dict(zip(("slot", "order_id", "tote", "order_status", "done", "total"), row))
                          for row in conn.execute(
            "SELECT bs.slot, bs.order_id, bs.tote, o.status,"
            f" (SELECT count(*) FROM tasks t WHERE t.order_id = bs.order_id AND t.status IN ({DONE})),"
            " (SELECT count(*) FROM tasks t WHERE t.order_id = bs.order_id)"
            " FROM batch_slots bs JOIN orders o ON o.order_id = bs.order_id WHERE bs.batch_id = ? ORDER BY bs.slot",
            [batch["batch_id"]])]
        batch["done"] = sum(s["done"] for s in batch["slots"])
        batch["total"] = sum(s["total"] for s in batch["slots"])
        batch["live"] = batch["status"] in BATCH_LIVE
    return found
