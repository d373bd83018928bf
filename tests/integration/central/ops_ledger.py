"""Hand-made site ledgers for the ops view's tests: events with chosen times, through the real sync inbox."""
from datetime import datetime

from central.adapters.hub_hooks import apply_event
from central_support import site_event
from sync.sqlite_store import SqliteInboxStore

MUG, KETTLE = "SKU-BLUE-MUG", "SKU-KETTLE"


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def through_inbox(db_path: str, site: str, *events: dict) -> None:
    """Apply events the way the hub does, so they land in the ledger (sync_inbox) with the next seqs."""
    inbox = SqliteInboxStore(db_path)
    hwm = inbox.hwm(site, 1)
    inbox.apply_batch(site, 1, [event | {"seq": hwm + n} for n, event in enumerate(events, start=1)], apply_event)


def at(when: datetime, event: dict) -> dict:
    return event | {"occurred_at": iso(when)}


def stock(location: str, qty_delta: int, reason: str = "count", sku: str = MUG, lot: str = "") -> dict:
    return site_event("stock.changed", {"location": location, "sku": sku, "lot": lot, "qty_delta": qty_delta,
                                        "reason": reason, "ref": ""})


def picked(order_id: str, qty: int, location: str = "A-01-01", sku: str = MUG, line_no: int = 1) -> dict:
    return site_event("task.picked", {"task_id": f"T-{order_id}-{line_no}", "order_id": order_id,
                                      "line_no": line_no, "sku": sku, "location": location, "qty": qty,
                                      "picker": "BADGE-0001"})


def shorted(order_id: str, qty: int, location: str = "A-01-01", sku: str = MUG, line_no: int = 1) -> dict:
    return site_event("task.shorted", {"task_id": f"T-{order_id}-{line_no}", "order_id": order_id,
                                       "line_no": line_no, "sku": sku, "location": location, "qty_short": qty,
                                       "reason": "slot empty", "picker": "BADGE-0001"})


def wrong_scan(step: str = "item") -> dict:
    return site_event("scan.rejected", {"task_id": "T-1", "step": step, "expected": "A", "scanned": "B",
                                        "picker": "BADGE-0001"})


def status(order_id: str, new_status: str, note: str = "") -> dict:
    return site_event("order.status_changed", {"order_id": order_id, "status": new_status, "note": note})


def order(client, qty: int, sku: str = MUG, ship: str = "2026-03-10", priority: int = 5, **fields) -> dict:
    """Take an order through the API and return it as answered."""
    answer = client.post("/api/v1/orders", json={"customer": fields.pop("customer", "Acme Ltd"),
                                                 "requested_ship_date": ship, "priority": priority,
                                                 "lines": [{"sku": sku, "qty": qty}], **fields},
                         headers={"X-Operator": "kim.orders"})
    assert answer.status_code == 201, answer.json
    return answer.json
