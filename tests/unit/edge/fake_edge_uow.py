"""An in-memory unit of work for handler tests: same repository ports, no I/O."""
import copy

from edge.domain.catalogue import VIRTUAL_PACK
from fake_count_repos import FakeCounts, FakePickFaces, FakeQuants, FakeReplenishments
from fake_lot_repos import FakeLots, FakeVerification
from edge.domain.release import StockSlot
from edge.service.unit_of_work import UnitOfWork
from protocols.status import ORDER_PICKING, ORDER_RELEASED, TASK_ASSIGNED, TASK_AT_LOCATION, TASK_OPEN


class FakeKeyed:
    """Store copies by key, as a database would: a loaded object is never the stored one."""

    def __init__(self, key: str, rows=()):
        self.key, self.rows = key, {getattr(r, key): copy.deepcopy(r) for r in rows}

    def get(self, key):
        row = self.rows.get(key)
        return copy.deepcopy(row) if row is not None else None

    def save(self, row) -> None:
        self.rows[getattr(row, self.key)] = copy.deepcopy(row)

    add = save


class FakeOrders(FakeKeyed):
    """Orders as the SQLite repository keeps them: save() writes the status fields only; get() may skip lines."""

    SAVED = ("status", "released_at", "shipped_at", "dock_door")

    def __init__(self, rows=()):
        super().__init__("order_id", rows)

    def get(self, order_id, lines=True):
        order = super().get(order_id)
        if order is not None and not lines:
            order.lines = []
        return order

    def save(self, order) -> None:
        stored = self.rows.get(order.order_id)
        if stored is not None:  # as an UPDATE of a missing row changes nothing
            for name in self.SAVED:
                setattr(stored, name, copy.deepcopy(getattr(order, name)))

    def add(self, order) -> None:
        self.rows[order.order_id] = copy.deepcopy(order)


class FakeSessions:
    def __init__(self):
        self.rows = {}

    def add(self, token_hash, badge, device_id, created_at) -> None:
        self.rows[token_hash] = (badge, device_id, created_at)


class FakeTasks(FakeKeyed):
    def __init__(self, uow, rows=()):
        super().__init__("task_id", rows)
        self.uow, self.counter = uow, len(self.rows)

    def for_order(self, order_id):
        return [copy.deepcopy(t) for t in sorted(self.rows.values(), key=lambda t: (t.line_no, t.pick_seq))
                if t.order_id == order_id]

    def next_for(self, badge):
        own = [t for t in self.rows.values() if t.picker == badge and t.status in (TASK_ASSIGNED, TASK_AT_LOCATION)]
        if own:
            return copy.deepcopy(own[0])
        orders = self.uow.orders.rows

        def urgency(task):
            order = orders[task.order_id]
            return (order.priority, order.requested_ship_date, order.order_id, task.pick_seq, task.task_id)

        open_tasks = [t for t in self.rows.values() if t.status == TASK_OPEN
                      and orders[t.order_id].status in (ORDER_RELEASED, ORDER_PICKING)]
        return copy.deepcopy(min(open_tasks, key=urgency)) if open_tasks else None

    def leasable(self, badge, now, limit):
        orders = self.uow.orders.rows
        live = [t for t in self.rows.values() if orders[t.order_id].status in (ORDER_RELEASED, ORDER_PICKING)]
        fit = [t for t in live if t.picker == badge and t.status in (TASK_ASSIGNED, TASK_AT_LOCATION)
               or t.status == TASK_OPEN or t.status in (TASK_ASSIGNED, TASK_AT_LOCATION) and t.lease_expired(now)]

        def order(task):
            o = orders[task.order_id]
            return (task.picker != badge, task.postponed_by == badge, o.priority, o.requested_ship_date,
                    o.order_id, task.pick_seq, task.task_id)

        return [copy.deepcopy(t) for t in sorted(fit, key=order)[:limit]]

    def next_id(self):
        self.counter += 1
        return f"T{self.counter}"


class FakeDevices(FakeKeyed):
    def __init__(self, uow):
        super().__init__("device_id")
        self.uow = uow

    def end_sessions(self, device_id):
        self.uow.sessions.rows = {k: v for k, v in self.uow.sessions.rows.items() if v[1] != device_id}


class FakeStock:
    """Lot "" is kept here; other lots live in uow.quants.lotted, as one stock table would hold both."""

    def __init__(self, uow, quants: dict[tuple[str, str], int] | None = None):
        self.uow, self.quants = uow, dict(quants or {})

    def on_hand(self, location, sku, lot=""):
        if lot:
            return self.uow.quants.lotted.get((location, sku, lot), 0)
        return self.quants.get((location, sku), 0)

    def slots(self, sku):
        held = {(location, lot): qty for (location, s, lot), qty in self.uow.quants.lotted.items()
                if s == sku and qty > 0}
        held.update({(location, ""): qty for (location, s), qty in self.quants.items() if s == sku})
        slots = []
        for (location, lot), qty in held.items():
            if location == VIRTUAL_PACK:
                continue
            reserved = sum(t.remaining for t in self.uow.tasks.rows.values()
                           if t.sku == sku and t.location == location and t.lot == lot and not t.done)
            slots.append(StockSlot(location, self.uow.locations.rows[location].pick_seq, qty, reserved, lot,
                                   self.uow.expiries.get((sku, lot), "")))
        return sorted(slots, key=lambda s: (s.pick_seq, s.location, s.lot))

    def change(self, location, sku, qty_delta, lot=""):
        if lot:
            self.uow.quants.lotted[(location, sku, lot)] = self.uow.quants.lotted.get((location, sku, lot), 0) + qty_delta
            return
        self.quants[(location, sku)] = self.quants.get((location, sku), 0) + qty_delta


class FakeCartons(FakeKeyed):
    def __init__(self):
        super().__init__("carton_id")

    def next_id(self):
        return f"C{len(self.rows) + 1}"

    def for_order(self, order_id):
        return [copy.deepcopy(c) for c in self.rows.values() if c.order_id == order_id]


class FakeCartonLabels:
    """The labels port in memory: with a series, each carton gets the next SSCC and one queued label job."""

    def __init__(self, series=None, printer="PACK-1"):
        self.series, self.printer = series, printer
        self.next_serial = series.first_serial if series else 0
        self.jobs = []  # (printer, carton_id, order_id, customer, sscc), rolled back with the rest of the uow

    def label_carton(self, carton, order):
        if self.series is None:
            return ""
        sscc = self.series.sscc(self.next_serial)
        self.next_serial += 1
        self.jobs.append((self.printer, carton.carton_id, order.order_id, order.customer, sscc))
        return sscc


class FakeScanErrors:
    def __init__(self):
        self.rows = []

    def add(self, error):
        self.rows.append(error)


class FakeRefusals:
    def __init__(self):
        self.rows = {}  # op_id -> RefusedOp, the first one kept as the SQLite log does

    def add(self, refused):
        self.rows.setdefault(refused.op_id, copy.deepcopy(refused))


class FakeAuditLog:
    def __init__(self):
        self.rows = []  # (actor, action, subject, reason, detail)

    def record(self, actor, action, subject, reason="", detail=None):
        self.rows.append((actor, action, subject, reason, detail or {}))


class FakeResolutions:
    def __init__(self):
        self.rows = {}

    def get(self, kind, ref):
        return self.rows.get((kind, ref))

    def add(self, resolution):
        self.rows[(resolution.kind, resolution.ref)] = resolution


class FakeUnitOfWork(UnitOfWork):
    """Keep committed state and outbox in lists and dicts; a rollback restores the last commit."""

    def __init__(self, site_id="DC01", locations=(), items=(), pickers=(), orders=(), tasks=(), stock=None,
                 now="2025-03-03T09:00:00+00:00", labels=None, pick_faces=()):
        self.site_id, self._now = site_id, now
        self.locations = FakeKeyed("location", locations)
        self.items = FakeKeyed("sku", items)
        self.pickers = FakeKeyed("badge", pickers)
        self.sessions = FakeSessions()
        self.orders = FakeOrders(orders)
        self.tasks = FakeTasks(self, tasks)
        self.stock = FakeStock(self, stock)
        self.cartons = FakeCartons()
        self.labels = labels or FakeCartonLabels()
        self.ops = FakeKeyed("op_id")
        self.scan_errors = FakeScanErrors()
        self.refusals = FakeRefusals()
        self.devices = FakeDevices(self)
        self.enrolment_codes = FakeKeyed("code_hash")
        self.audit = FakeAuditLog()
        self.resolutions = FakeResolutions()
        self.counts = FakeCounts(self)
        self.pick_faces = FakePickFaces(pick_faces)
        self.replenishments = FakeReplenishments(self)
        self.quants = FakeQuants(self)
        from fake_receiving_uow import FakeReceiving  # imported here: that module builds on this one

        self.receiving = FakeReceiving(self)  # put-backs of cancelled orders are putaway tasks
        self.expiries: dict = {}  # (sku, lot) -> YYMMDD, the site's lot register
        self.lots = FakeLots(self)
        self.verification = FakeVerification()
        self.outbox: list = []  # (event, origin) pairs in commit order
        self.commits = 0
        self._snapshot = self._state()

    def _state(self):
        state = {k: v for k, v in vars(self).items() if not k.startswith("_") and k != "pending"}
        return copy.deepcopy(state, {id(self): self})  # repositories point back at this uow, not a copy

    def _commit(self, events):
        self.outbox.extend(events)
        self.commits += 1
        self._snapshot = self._state()

    def rollback(self):
        for name, value in copy.deepcopy(self._snapshot, {id(self): self}).items():
            setattr(self, name, value)

    def now(self):
        return self._now

    @property
    def events(self):
        return [event for event, _ in self.outbox]
