"""The in-memory unit of work plus an in-memory receiving repository (the uow.receiving port)."""
import copy

from edge.domain.catalogue import VIRTUAL_PACK
from edge.domain.putaway import PUTAWAY_OPEN, Quant, Slot
from edge.domain.receiving import QUARANTINE, RECEIVING_DOCK
from fake_edge_uow import FakeUnitOfWork


class FakeReceiving:
    def __init__(self, uow, stock=None, capacity=None):
        self.uow = uow
        self.receipts, self.tasks, self.lots, self.exceptions = {}, {}, {}, []
        self.stock = dict(stock or {})  # (location, sku, lot) -> qty
        self.capacity = dict(capacity or {})

    def get_receipt(self, receipt_id):
        return copy.deepcopy(self.receipts.get(receipt_id))

    def add_receipt(self, receipt):
        self.receipts[receipt.receipt_id] = copy.deepcopy(receipt)

    save_receipt = add_receipt

    def get_task(self, task_id):
        return copy.deepcopy(self.tasks.get(task_id))

    def next_task_id(self):
        return f"P{len(self.tasks) + 1}"

    def add_task(self, task):
        self.tasks[task.task_id] = copy.deepcopy(task)

    save_task = add_task

    def open_tasks(self, receipt_id=None):
        return [copy.deepcopy(t) for t in self.tasks.values()
                if t.status == PUTAWAY_OPEN and receipt_id in (None, t.receipt_id)]

    def slots(self):
        slots = []
        for loc in sorted(self.uow.locations.rows.values(), key=lambda l: (l.pick_seq, l.location)):
            if loc.location in (RECEIVING_DOCK, QUARANTINE, VIRTUAL_PACK):
                continue
            held = tuple(Quant(sku, lot, self.lots.get((sku, lot), ""), qty)
                         for (location, sku, lot), qty in self.stock.items() if location == loc.location and qty > 0)
            slots.append(Slot(loc.location, loc.barcode, loc.zone, loc.pick_seq, self.capacity.get(loc.location, 0),
                              held))
        return slots

    def sku_for_barcode(self, value):
        for item in self.uow.items.rows.values():
            if value.upper() == item.sku.upper() or value.zfill(14) in {g.zfill(14) for g in item.gtins}:
                return item.sku
        return None

    def lot_expiry(self, sku, lot):
        return self.lots.get((sku, lot))

    def remember_lot(self, sku, lot, expiry):
        self.lots.setdefault((sku, lot), expiry)

    def change_stock(self, location, sku, lot, qty_delta):
        key = (location, sku, lot)
        self.stock[key] = self.stock.get(key, 0) + qty_delta

    def add_exceptions(self, receipt, found, at):
        self.exceptions.extend((receipt.asn_id, d.sku, d.expected, d.received, d.kind) for d in found)


class FakeReturns:
    """The uow.returns port in memory; pick faces are given as {sku: [location, ...]}."""

    def __init__(self, faces=None):
        self.rows, self.faces, self.exceptions = {}, dict(faces or {}), []

    def get(self, return_id):
        return copy.deepcopy(self.rows.get(return_id))

    def add(self, customer_return):
        self.rows[customer_return.return_id] = copy.deepcopy(customer_return)

    save = add

    def for_order(self, order_id):
        return [copy.deepcopy(r) for r in self.rows.values() if r.order_id == order_id]

    def pick_faces(self, sku):
        return list(self.faces.get(sku, []))

    def add_exceptions(self, customer_return, found, at):
        self.exceptions.extend((customer_return.return_id, d.sku, d.expected, d.returned, d.kind) for d in found)


class FakeReceivingUnitOfWork(FakeUnitOfWork):
    def __init__(self, *args, stock_by_lot=None, capacity=None, faces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.receiving = FakeReceiving(self, stock_by_lot, capacity)  # replaces the plain one
        self.returns = FakeReturns(faces)
        self._snapshot = self._state()
