"""Repositories over the edge tables; every call joins the unit of work's open transaction."""
import json
from operator import attrgetter, itemgetter

from sqlite_utils import Database

from edge.adapters.held_picks import NOT_IN_LIVE_BATCH, PICKS_NOT_HELD

from edge.domain.catalogue import VIRTUAL_PACK, Item, Location, Picker
from edge.domain.enrolment import Device, EnrolmentCode
from edge.domain.orders import Carton, Order, OrderLine
from edge.domain.picking import PickTask
from edge.domain.receiving import QUARANTINE, RECEIVING_DOCK
from edge.domain.release import StockSlot
from edge.service.unit_of_work import OpRecord, ScanError
from protocols.status import ORDER_PICKING, ORDER_RELEASED, TASK_ASSIGNED, TASK_AT_LOCATION, TASK_DONE, TASK_OPEN

TASK_COLUMNS = ("task_id", "order_id", "line_no", "sku", "location", "qty", "pick_seq", "picked_qty", "status",
                "picker", "device_id", "short_reason", "lease_epoch", "lease_expires_at", "postponed_by", "lot")
SELECTED_TASK_COLUMNS = ", ".join(f"t.{c}" for c in TASK_COLUMNS)
SAVED_TASK_COLUMNS = ("qty", "picked_qty", "status", "picker", "device_id", "short_reason", "lease_epoch",
                      "lease_expires_at", "postponed_by")
_saved_in_row = itemgetter(*(TASK_COLUMNS.index(c) for c in SAVED_TASK_COLUMNS))
_saved_of = attrgetter(*SAVED_TASK_COLUMNS)
DONE = ",".join(f"'{status}'" for status in TASK_DONE)


class SqliteRepository:
    def __init__(self, db: Database, site_id: str = ""):
        self.db, self.site_id = db, site_id

    def _one(self, sql: str, params: list):
        return self.db.execute(sql, params).fetchone()

    def _next_counter(self, name: str) -> int:
        self.db.execute("INSERT INTO counters (name, value) VALUES (?, 1)"
                        " ON CONFLICT (name) DO UPDATE SET value = value + 1", [name])
        return self._one("SELECT value FROM counters WHERE name = ?", [name])[0]


class SqliteLocationRepository(SqliteRepository):
    """Locations, each read once per unit of work (a pick reads its location more than once)."""

    def __init__(self, db: Database, site_id: str = ""):
        super().__init__(db, site_id)
        self._read: dict[str, Location | None] = {}

    def get(self, location: str) -> Location | None:
        if location not in self._read:
            row = self._one("SELECT location, barcode, zone, pick_seq FROM locations WHERE location = ?", [location])
            self._read[location] = Location(*row) if row else None
        return self._read[location]

    def save(self, location: Location) -> None:
        self._read.pop(location.location, None)
        self.db.execute("INSERT OR REPLACE INTO locations (location, barcode, zone, pick_seq) VALUES (?,?,?,?)",
                        [location.location, location.barcode, location.zone, location.pick_seq])


class SqliteItemRepository(SqliteRepository):
    """Items, each read once per unit of work (a pick checks the barcode, then describes the task)."""

    def __init__(self, db: Database, site_id: str = ""):
        super().__init__(db, site_id)
        self._read: dict[str, Item | None] = {}

    def get(self, sku: str) -> Item | None:
        if sku not in self._read:
            row = self._one("SELECT sku, description, gtins, tracking FROM items WHERE sku = ?", [sku])
            self._read[sku] = Item(row[0], row[1], json.loads(row[2]), row[3]) if row else None
        return self._read[sku]

    def save(self, item: Item) -> None:
        self._read.pop(item.sku, None)
        self.db.execute("INSERT OR REPLACE INTO items (sku, description, gtins, tracking) VALUES (?,?,?,?)",
                        [item.sku, item.description, json.dumps(item.gtins), item.tracking])


class SqlitePickerRepository(SqliteRepository):
    def get(self, badge: str) -> Picker | None:
        row = self._one("SELECT badge, name, pin_hash FROM pickers WHERE badge = ?", [badge])
        return Picker(*row) if row else None

    def save(self, picker: Picker) -> None:
        self.db.execute("INSERT OR REPLACE INTO pickers (badge, name, pin_hash) VALUES (?,?,?)",
                        [picker.badge, picker.name, picker.pin_hash])


class SqliteSessionRepository(SqliteRepository):
    def add(self, token_hash: str, badge: str, device_id: str, created_at: str) -> None:
        self.db.execute("INSERT INTO sessions (token_hash, badge, device_id, created_at) VALUES (?,?,?,?)",
                        [token_hash, badge, device_id, created_at])


class SqliteOrderRepository(SqliteRepository):
    """Orders; save() writes only when a saved field differs from what get() read (most picks change nothing)."""

    def __init__(self, db: Database, site_id: str = ""):
        super().__init__(db, site_id)
        self._as_read: dict[str, tuple] = {}

    @staticmethod
    def _saved_fields(order: Order) -> tuple:
        return order.status, order.released_at, order.shipped_at, order.dock_door

    def get(self, order_id: str, lines: bool = True) -> Order | None:
        row = self._one("SELECT order_id, customer, priority, requested_ship_date, status, released_at, shipped_at,"
                        " cmd_event_id, dock_door FROM orders WHERE order_id = ?", [order_id])
        if row is None:
            return None
        lines = [OrderLine(*line) for line in self.db.execute(
            "SELECT line_no, sku, qty FROM order_lines WHERE order_id = ? ORDER BY line_no",
            [order_id])] if lines else []
        order = Order(row[0], row[1], row[2], row[3], lines, status=row[4], released_at=row[5] or "",
                      shipped_at=row[6], cmd_event_id=row[7] or "", dock_door=row[8])
        self._as_read[order_id] = self._saved_fields(order)
        return order

    def add(self, order: Order) -> None:
        self.db.execute("INSERT INTO orders (order_id, customer, priority, requested_ship_date, status, released_at,"
                        " shipped_at, cmd_event_id) VALUES (?,?,?,?,?,?,?,?)",
                        [order.order_id, order.customer, order.priority, order.requested_ship_date, order.status,
                         order.released_at, order.shipped_at, order.cmd_event_id])
        for line in order.lines:
            self.db.execute("INSERT INTO order_lines (order_id, line_no, sku, qty) VALUES (?,?,?,?)",
                            [order.order_id, line.line_no, line.sku, line.qty])

    def save(self, order: Order) -> None:
        if self._as_read.get(order.order_id) == self._saved_fields(order):
            return
        self._as_read[order.order_id] = self._saved_fields(order)
        self.db.execute("UPDATE orders SET status = ?, released_at = ?, shipped_at = ?, dock_door = ?"
                        " WHERE order_id = ?",
                        [order.status, order.released_at, order.shipped_at, order.dock_door, order.order_id])


class SqliteTaskRepository(SqliteRepository):
    """Pick tasks; save() writes only the columns that differ from what was read (a pick changes one or two)."""

    def __init__(self, db: Database, site_id: str = ""):
        super().__init__(db, site_id)
        self._as_read: dict[str, tuple] = {}  # the saved columns as the database holds them in this transaction

    def _tasks(self, sql: str, params: list) -> list[PickTask]:
        rows = self.db.execute(sql.replace("{columns}", SELECTED_TASK_COLUMNS), params).fetchall()
        for row in rows:
            self._as_read[row[0]] = _saved_in_row(row)
        return [PickTask(*row) for row in rows]

    def get(self, task_id: str) -> PickTask | None:
        found = self._tasks("SELECT {columns} FROM tasks t WHERE t.task_id = ?", [task_id])
        return found[0] if found else None

    def for_order(self, order_id: str) -> list[PickTask]:
        return self._tasks("SELECT {columns} FROM tasks t WHERE t.order_id = ? ORDER BY t.line_no, t.pick_seq,"
                           " t.task_id", [order_id])

    def next_for(self, badge: str) -> PickTask | None:
        own = self._tasks("SELECT {columns} FROM tasks t WHERE t.picker = ? AND t.status IN (?, ?)"
                          f" AND {NOT_IN_LIVE_BATCH} ORDER BY t.task_id LIMIT 1",
                          [badge, TASK_ASSIGNED, TASK_AT_LOCATION])
        if own:
            return own[0]
        # The dispatch rule: most urgent priority first, then earliest ship date, then the walk order.
        # Orders are the outer loop, read in urgency order through orders_dispatch, so the search stops at the
        # first order with an open task instead of sorting every open task. The plan is pinned: left to guess
        # (no ANALYZE), SQLite joined every released order with every open task (seconds with 12,000 open).
        found = self._tasks(
            "SELECT {columns} FROM orders o INDEXED BY orders_dispatch CROSS JOIN tasks t INDEXED BY tasks_order"
            " ON o.order_id = t.order_id"
            f" WHERE t.status = ? AND o.status IN (?, ?) AND {PICKS_NOT_HELD} AND {NOT_IN_LIVE_BATCH}"
            " ORDER BY o.priority, o.requested_ship_date, o.order_id, t.pick_seq, t.task_id LIMIT 1",
            [TASK_OPEN, ORDER_RELEASED, ORDER_PICKING])
        return found[0] if found else None

    def leasable(self, badge: str, now: str, limit: int) -> list[PickTask]:
        """Return the picker's unfinished tasks, then open ones and ones whose lease ran out, most urgent first."""
        return self._tasks(
            "SELECT {columns} FROM tasks t JOIN orders o ON o.order_id = t.order_id"
            " WHERE o.status IN (?, ?) AND (t.picker = ? AND t.status IN (?, ?) OR t.status = ?"
            "  OR t.status IN (?, ?) AND t.lease_expires_at != '' AND t.lease_expires_at <= ?)"
            f" AND (t.picker IS ? AND t.status IN (?, ?) OR {PICKS_NOT_HELD}) AND {NOT_IN_LIVE_BATCH}"
            # the picker's own tasks first; a task this picker postponed comes after everything else
            " ORDER BY t.picker IS NOT ? , t.postponed_by = ?, o.priority, o.requested_ship_date, o.order_id,"
            " t.pick_seq, t.task_id LIMIT ?",
            [ORDER_RELEASED, ORDER_PICKING, badge, TASK_ASSIGNED, TASK_AT_LOCATION, TASK_OPEN,
             TASK_ASSIGNED, TASK_AT_LOCATION, now, badge, TASK_ASSIGNED, TASK_AT_LOCATION, badge, badge, limit])

    def next_id(self) -> str:
        return f"{self.site_id}-T{self._next_counter('task'):06d}"

    def add(self, task: PickTask) -> None:
        marks = ",".join("?" for _ in TASK_COLUMNS)
        self.db.execute(f"INSERT INTO tasks ({', '.join(TASK_COLUMNS)}) VALUES ({marks})",
                        [getattr(task, c) for c in TASK_COLUMNS])

    def save(self, task: PickTask) -> None:
        values, before = _saved_of(task), self._as_read.get(task.task_id)
        changed = [n for n in range(len(SAVED_TASK_COLUMNS)) if before is None or values[n] != before[n]]
        if changed:  # fewer columns set, fewer of the task indexes rewritten
            self.db.execute(f"UPDATE tasks SET {', '.join(f'{SAVED_TASK_COLUMNS[n]} = ?' for n in changed)}"
                            " WHERE task_id = ?", [*(values[n] for n in changed), task.task_id])
        self._as_read[task.task_id] = values


class SqliteDeviceRepository(SqliteRepository):
    def get(self, device_id: str) -> Device | None:
        row = self._one("SELECT device_id, token_hash, enrolled_at, revoked_at FROM devices WHERE device_id = ?",
                        [device_id])
        return Device(*row) if row else None

    def save(self, device: Device) -> None:
        self.db.execute("INSERT OR REPLACE INTO devices (device_id, token_hash, enrolled_at, revoked_at)"
                        " VALUES (?,?,?,?)", [device.device_id, device.token_hash, device.enrolled_at,
                                              device.revoked_at])

    def end_sessions(self, device_id: str) -> None:
        self.db.execute("DELETE FROM sessions WHERE device_id = ?", [device_id])


class SqliteEnrolmentCodeRepository(SqliteRepository):
    def get(self, code_hash: str) -> EnrolmentCode | None:
        row = self._one("SELECT code_hash, created_at, expires_at, used_at, used_by FROM enrolment_codes"
                        " WHERE code_hash = ?", [code_hash])
        return EnrolmentCode(*row) if row else None

    def save(self, code: EnrolmentCode) -> None:
        self.db.execute("INSERT OR REPLACE INTO enrolment_codes (code_hash, created_at, expires_at, used_at, used_by)"
                        " VALUES (?,?,?,?,?)", [code.code_hash, code.created_at, code.expires_at, code.used_at,
                                                code.used_by])


class SqliteStockRepository(SqliteRepository):
    def on_hand(self, location: str, sku: str, lot: str = "") -> int:
        row = self._one("SELECT qty FROM stock WHERE location = ? AND sku = ? AND lot = ?", [location, sku, lot])
        return row[0] if row else 0

    def slots(self, sku: str) -> list[StockSlot]:
        """Return the sku's stock per storage location and lot, with what unfinished tasks claim and the expiry."""
        rows = self.db.execute(
            "SELECT s.location, l.pick_seq, s.qty,"
            f" (SELECT COALESCE(SUM(t.qty - t.picked_qty), 0) FROM tasks t WHERE t.sku = s.sku"
            f"  AND t.location = s.location AND t.lot = s.lot AND t.status NOT IN ({DONE})),"
            " s.lot, COALESCE((SELECT x.expiry FROM lots x WHERE x.sku = s.sku AND x.lot = s.lot), '')"
            " FROM stock s JOIN locations l ON l.location = s.location"
            # an emptied lot is history; an emptied lot-less row still marks where the sku lives (short tasks)
            " WHERE s.sku = ? AND (s.lot = '' OR s.qty > 0) AND s.location NOT IN (?, ?, ?)"
            " ORDER BY l.pick_seq, s.location, s.lot",
            [sku, VIRTUAL_PACK, RECEIVING_DOCK, QUARANTINE])
        return [StockSlot(*row) for row in rows]

    def change(self, location: str, sku: str, qty_delta: int, lot: str = "") -> None:
        self.db.execute("INSERT INTO stock (location, sku, lot, qty) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (location, sku, lot) DO UPDATE SET qty = qty + excluded.qty",
                        [location, sku, lot, qty_delta])


class SqliteCartonRepository(SqliteRepository):
    def next_id(self) -> str:
        return f"{self.site_id}-C{self._next_counter('carton'):06d}"

    def add(self, carton: Carton) -> None:
        self.db.execute("INSERT INTO cartons (carton_id, order_id, closed_at, lines, sscc) VALUES (?,?,?,?,?)",
                        [carton.carton_id, carton.order_id, carton.closed_at, json.dumps(carton.lines), carton.sscc])

    def for_order(self, order_id: str) -> list[Carton]:
        rows = self.db.execute("SELECT carton_id, order_id, lines, closed_at, sscc FROM cartons WHERE order_id = ?"
                               " ORDER BY carton_id", [order_id])
        return [Carton(row[0], row[1], json.loads(row[2]), row[3], row[4]) for row in rows]


class SqliteOpRepository(SqliteRepository):
    def get(self, op_id: str) -> OpRecord | None:
        row = self._one("SELECT op_id, badge, device_id, endpoint, request_hash, status_code, response, created_at"
                        " FROM ops WHERE op_id = ?", [op_id])
        return OpRecord(*row[:6], json.loads(row[6]), row[7]) if row else None

    def add(self, op: OpRecord) -> None:
        self.db.execute("INSERT INTO ops (op_id, badge, device_id, endpoint, request_hash, status_code, response,"
                        " created_at) VALUES (?,?,?,?,?,?,?,?)",
                        [op.op_id, op.badge, op.device_id, op.endpoint, op.request_hash, op.status_code,
                         json.dumps(op.response), op.created_at])


class SqliteScanErrorRepository(SqliteRepository):
    def add(self, error: ScanError) -> None:
        self.db.execute("INSERT INTO scan_errors (task_id, step, expected, scanned, badge, device_id, at)"
                        " VALUES (?,?,?,?,?,?,?)",
                        [error.task_id, error.step, error.expected, error.scanned, error.badge, error.device_id,
                         error.at])
