"""The receiving repository over SQLite; every call joins the unit of work's open transaction."""
from sqlite_utils import Database

from edge.domain.catalogue import VIRTUAL_PACK
from edge.domain.putaway import PUTAWAY_OPEN, PutawayTask, Quant, Slot
from edge.domain.receiving import QUARANTINE, RECEIVING_DOCK, Discrepancy, ExpectedLine, Receipt, ReceivedLine

VIRTUAL = (RECEIVING_DOCK, QUARANTINE, VIRTUAL_PACK)
TASK_COLUMNS = ("task_id", "receipt_id", "sku", "lot", "expiry", "qty", "suggested", "status", "location",
                "override_reason", "picker", "done_at", "from_location", "kind")
RECEIVED_COLUMNS = ("sku", "qty", "lot", "expiry", "condition", "sscc", "reason", "picker")


class SqliteReceivingRepository:
    def __init__(self, db: Database, site_id: str = ""):
        self.db, self.site_id = db, site_id

    # -- receipts
    def get_receipt(self, receipt_id: str) -> Receipt | None:
        row = self.db.execute("SELECT receipt_id, asn_id, supplier, status, over_tolerance_pct, created_at, closed_at"
                              " FROM receipts WHERE receipt_id = ?", [receipt_id]).fetchone()
        if row is None:
            return None
        expected = [ExpectedLine(*r) for r in self.db.execute(
            "SELECT line_no, sku, qty, lot, expiry, sscc FROM receipt_expected WHERE receipt_id = ? ORDER BY line_no",
            [receipt_id])]
        received = [ReceivedLine(*r) for r in self.db.execute(
            f"SELECT {', '.join(RECEIVED_COLUMNS)} FROM receipt_received WHERE receipt_id = ? ORDER BY n",
            [receipt_id])]
        return Receipt(row[0], row[1], row[2], expected, received, status=row[3], over_tolerance_pct=row[4],
                       created_at=row[5], closed_at=row[6])

    def add_receipt(self, receipt: Receipt) -> None:
        self.db.execute("INSERT INTO receipts (receipt_id, asn_id, supplier, status, over_tolerance_pct, created_at,"
                        " closed_at) VALUES (?,?,?,?,?,?,?)",
                        [receipt.receipt_id, receipt.asn_id, receipt.supplier, receipt.status,
                         receipt.over_tolerance_pct, receipt.created_at, receipt.closed_at])
        for line in receipt.expected:
            self.db.execute("INSERT INTO receipt_expected (receipt_id, line_no, sku, qty, lot, expiry, sscc)"
                            " VALUES (?,?,?,?,?,?,?)", [receipt.receipt_id, line.line_no, line.sku, line.qty,
                                                        line.lot, line.expiry, line.sscc])
        self._add_received(receipt)

    def save_receipt(self, receipt: Receipt) -> None:
        self.db.execute("UPDATE receipts SET status = ?, closed_at = ? WHERE receipt_id = ?",
                        [receipt.status, receipt.closed_at, receipt.receipt_id])
        self._add_received(receipt)

    def _add_received(self, receipt: Receipt) -> None:
        """Insert the received lines not stored yet: they are only ever appended."""
        (stored,) = self.db.execute("SELECT count(*) FROM receipt_received WHERE receipt_id = ?",
                                    [receipt.receipt_id]).fetchone()
        for n, line in enumerate(receipt.received[stored:], start=stored + 1):
            self.db.execute(f"INSERT INTO receipt_received (receipt_id, n, {', '.join(RECEIVED_COLUMNS)})"
                            " VALUES (?,?,?,?,?,?,?,?,?,?)",
                            [receipt.receipt_id, n, *(getattr(line, c) for c in RECEIVED_COLUMNS)])

    def add_exceptions(self, receipt: Receipt, found: list[Discrepancy], at: str) -> None:
        for d in found:
            self.db.execute("INSERT INTO receiving_exceptions (receipt_id, asn_id, sku, expected, received, kind,"
                            " recorded_at) VALUES (?,?,?,?,?,?,?)",
                            [receipt.receipt_id, receipt.asn_id, d.sku, d.expected, d.received, d.kind, at])

    # -- putaway tasks
    def _tasks(self, where: str, params: list) -> list[PutawayTask]:
        return [PutawayTask(*row) for row in self.db.execute(
            f"SELECT {', '.join(TASK_COLUMNS)} FROM putaway_tasks WHERE {where} ORDER BY task_id", params)]

    def get_task(self, task_id: str) -> PutawayTask | None:
        found = self._tasks("task_id = ?", [task_id])
        return found[0] if found else None

    def open_tasks(self, receipt_id: str | None = None) -> list[PutawayTask]:
        if receipt_id is None:
            return self._tasks("status = ?", [PUTAWAY_OPEN])
        return self._tasks("status = ? AND receipt_id = ?", [PUTAWAY_OPEN, receipt_id])

    def for_receipt(self, receipt_id: str) -> list[PutawayTask]:
        return self._tasks("receipt_id = ?", [receipt_id])

    def next_task_id(self) -> str:
        self.db.execute("INSERT INTO counters (name, value) VALUES ('putaway', 1)"
                        " ON CONFLICT (name) DO UPDATE SET value = value + 1")
        (value,) = self.db.execute("SELECT value FROM counters WHERE name = 'putaway'").fetchone()
        return f"{self.site_id}-P{value:06d}"

    def add_task(self, task: PutawayTask) -> None:
        self.db.execute(f"INSERT INTO putaway_tasks ({', '.join(TASK_COLUMNS)}) VALUES"
                        f" ({','.join('?' for _ in TASK_COLUMNS)})", [getattr(task, c) for c in TASK_COLUMNS])

    def save_task(self, task: PutawayTask) -> None:
        self.db.execute("UPDATE putaway_tasks SET status = ?, location = ?, override_reason = ?, picker = ?,"
                        " done_at = ? WHERE task_id = ?",
                        [task.status, task.location, task.override_reason, task.picker, task.done_at, task.task_id])

    # -- locations, lots and stock
    def slots(self) -> list[Slot]:
        held: dict[str, list[Quant]] = {}
        for location, *quant in self.db.execute(
                "SELECT s.location, s.sku, s.lot, COALESCE(l.expiry, ''), s.qty FROM stock s"
                " LEFT JOIN lots l ON l.sku = s.sku AND l.lot = s.lot WHERE s.qty > 0"):
            held.setdefault(location, []).append(Quant(*quant))
        rows = self.db.execute(
            "SELECT l.location, l.barcode, l.zone, l.pick_seq, COALESCE(c.capacity, 0) FROM locations l"
            " LEFT JOIN location_capacity c ON c.location = l.location"
            f" WHERE l.location NOT IN ({','.join('?' for _ in VIRTUAL)}) ORDER BY l.pick_seq, l.location",
            list(VIRTUAL))
        return [Slot(*row, tuple(held.get(row[0], ()))) for row in rows]

    def set_capacity(self, location: str, capacity: int) -> None:
        self.db.execute("INSERT INTO location_capacity (location, capacity) VALUES (?, ?)"
                        " ON CONFLICT (location) DO UPDATE SET capacity = excluded.capacity", [location, capacity])

    def sku_for_barcode(self, value: str) -> str | None:
        row = self.db.execute(
            "SELECT sku FROM items WHERE upper(sku) = upper(?) OR EXISTS (SELECT 1 FROM json_each(items.gtins) g"
            " WHERE substr('00000000000000' || g.value, -14, 14) = substr('00000000000000' || ?, -14, 14)"
            " AND ? GLOB '[0-9]*') ORDER BY sku LIMIT 1", [value, value, value]).fetchone()
        return row[0] if row else None

    def lot_expiry(self, sku: str, lot: str) -> str | None:
        row = self.db.execute("SELECT expiry FROM lots WHERE sku = ? AND lot = ?", [sku, lot]).fetchone()
        return row[0] if row else None

    def remember_lot(self, sku: str, lot: str, expiry: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO lots (sku, lot, expiry) VALUES (?,?,?)", [sku, lot, expiry])

    def change_stock(self, location: str, sku: str, lot: str, qty_delta: int) -> None:
        self.db.execute("INSERT INTO stock (location, sku, lot, qty) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (location, sku, lot) DO UPDATE SET qty = qty + excluded.qty",
                        [location, sku, lot, qty_delta])
