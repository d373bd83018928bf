"""An in-memory wave and batch repository for the fake unit of work."""
import copy

from edge.domain.batching import BATCH_LIVE, BATCH_OPEN, BATCH_PICKING, WaveCandidate
from fake_edge_uow import FakeUnitOfWork
from protocols.status import ORDER_RELEASED, TASK_ASSIGNED, TASK_AT_LOCATION, TASK_OPEN


class FakeBatches:
    def __init__(self, uow):
        self.uow, self.rows, self.waves, self.counters = uow, {}, {}, {"wave": 0, "batch": 0}

    def get(self, batch_id):
        return copy.deepcopy(self.rows.get(batch_id))

    def next_for(self, badge):
        own = [b for b in self.rows.values() if b.status == BATCH_PICKING and b.picker == badge]
        waiting = sorted((b for b in self.rows.values() if b.status == BATCH_OPEN),
                         key=lambda b: (b.created_at, b.batch_id))
        found = own or waiting
        return copy.deepcopy(found[0]) if found else None

    def next_wave_id(self):
        self.counters["wave"] += 1
        return f"W{self.counters['wave']}"

    def next_batch_id(self):
        self.counters["batch"] += 1
        return f"B{self.counters['batch']}"

    def add_wave(self, wave):
        self.waves[wave.wave_id] = wave

    def add(self, batch):
        self.rows[batch.batch_id] = copy.deepcopy(batch)

    save = add

    def wave_candidates(self):
        live = {s.order_id for b in self.rows.values() if b.status in BATCH_LIVE for s in b.slots}
        found = []
        for order in self.uow.orders.rows.values():
            tasks = [t for t in self.uow.tasks.rows.values() if t.order_id == order.order_id]
            if (order.status == ORDER_RELEASED and order.order_id not in live
                    and any(t.status == TASK_OPEN for t in tasks)
                    and not any(t.status in (TASK_ASSIGNED, TASK_AT_LOCATION) or t.picked_qty for t in tasks)):
                found.append(WaveCandidate(order.order_id, order.priority, order.requested_ship_date))
        return sorted(found, key=lambda c: (c.priority, c.requested_ship_date, c.order_id))

    def tote_in_use(self, tote, except_batch):
        return next((b.batch_id for b in self.rows.values() if b.status in BATCH_LIVE
                     and b.batch_id != except_batch and any(s.tote == tote for s in b.slots)), None)


def batch_site(**kwargs) -> FakeUnitOfWork:
    """Make a fake site whose unit of work also keeps waves and batches (rolled back with the rest)."""
    uow = FakeUnitOfWork(**kwargs)
    uow.batches = FakeBatches(uow)
    uow._snapshot = uow._state()
    return uow
