"""In-memory fakes of the centre's unit of work and repositories, for handler tests without I/O."""
import copy

from central.domain.master_data import Item, Site
from central.domain.orders import CLOSED_STATUSES, Order
from central.service.unit_of_work import (ItemRepository, LocationRepository, OrderRepository, SiteCommandOutbox,
                                          SiteRepository, StockRepository, StockSnapshotRepository, UnitOfWork)
from protocols.status import ORDER_RECEIVED

NOW = "2025-03-03T09:00:00.000+00:00"


class FakeOrderRepository(OrderRepository):
    def __init__(self):
        self.rows: dict[str, Order] = {}
        self.history: dict[str, list] = {}
        self.counter = 0

    def next_order_id(self):
        self.counter += 1
        return f"SO-{self.counter:06d}"

    def add(self, order):
        self.save(order)

    def get(self, order_id):
        return copy.deepcopy(self.rows.get(order_id))

    def id_for_external_ref(self, external_ref):
        return next((o.order_id for o in self.rows.values() if o.external_ref == external_ref), None)

    def save(self, order):
        self.history.setdefault(order.order_id, []).extend(order.new_history)
        order.new_history.clear()
        for part in order.new_parts:
            self.save(part)
        order.new_parts.clear()
        self.rows[order.order_id] = copy.deepcopy(order)

    def parts(self, order_id):
        return [copy.deepcopy(o) for _, o in sorted(self.rows.items()) if o.parent_order_id == order_id]

    def backorders(self, order_id, task_id):
        return [copy.deepcopy(o) for _, o in sorted(self.rows.items())
                if (o.backorder_of, o.backorder_task) == (order_id, task_id)]

    def waiting(self):
        return [copy.deepcopy(o) for o in self.rows.values() if o.status == ORDER_RECEIVED]

    def outstanding_by_site(self, skus):
        owed: dict[str, dict[str, int]] = {}
        for order in self.rows.values():
            if order.site_id and order.status not in CLOSED_STATUSES:
                for line in order.lines:
                    if line.sku in skus:
                        site = owed.setdefault(order.site_id, {})
                        site[line.sku] = site.get(line.sku, 0) + line.outstanding
        return owed


class FakeItemRepository(ItemRepository):
    def __init__(self, items=()):
        self.rows = {item.sku: item for item in items}

    def get(self, sku):
        return self.rows.get(sku)

    def put(self, item):
        self.rows[item.sku] = item

    def all(self):
        return [self.rows[sku] for sku in sorted(self.rows)]

    def missing(self, skus):
        return list(dict.fromkeys(sku for sku in skus if sku not in self.rows))


class FakeSiteRepository(SiteRepository):
    def __init__(self, sites=()):
        self.rows = {site.site_id: site for site in sites}
        self.states: dict[str, tuple] = {}

    def get(self, site_id):
        return self.rows.get(site_id)

    def put(self, site):
        self.rows[site.site_id] = site

    def ids(self):
        return sorted(self.rows)

    def record_state(self, site_id, online, state, seen_at):
        if site_id not in self.rows:
            return False
        self.states[site_id] = (online, state, seen_at)
        return True


class FakeStockRepository(StockRepository):
    def __init__(self):
        self.rows: dict[tuple, int] = {}

    def add_delta(self, site_id, location, sku, lot, qty_delta):
        key = (site_id, location, sku, lot)
        self.rows[key] = self.rows.get(key, 0) + qty_delta
        return self.rows[key]

    def on_hand_by_site(self, skus, exclude_locations):
        held: dict[str, dict[str, int]] = {}
        for (site, location, sku, _lot), qty in self.rows.items():
            if sku in skus and location not in exclude_locations:
                held.setdefault(site, {})[sku] = held.get(site, {}).get(sku, 0) + qty
        return held


class FakeLocationRepository(LocationRepository):
    def __init__(self):
        self.rows: dict[tuple, dict] = {}

    def upsert(self, site_id, location, barcode, zone, pick_seq):
        self.rows[(site_id, location)] = {"barcode": barcode, "zone": zone, "pick_seq": pick_seq}


class FakeStockSnapshotRepository(StockSnapshotRepository):
    def __init__(self):
        self.rows: list[tuple] = []

    def add(self, site_id, taken_at, rows, received_at):
        self.rows.append((site_id, taken_at, rows, received_at))
        return len(self.rows)


class FakeSiteCommandOutbox(SiteCommandOutbox):
    def __init__(self):
        self.sent: list[tuple[str, str, dict]] = []

    def send(self, site_id, command_type, data):
        self.sent.append((site_id, command_type, data))


class FakeUnitOfWork(UnitOfWork):
    """Keeps everything in memory; `committed` says whether the handler committed."""

    def __init__(self, sites=(), items=(), now=NOW):
        self.orders = FakeOrderRepository()
        self.items = FakeItemRepository(items)
        self.sites = FakeSiteRepository(sites)
        self.stock = FakeStockRepository()
        self.locations = FakeLocationRepository()
        self.snapshots = FakeStockSnapshotRepository()
        self.commands = FakeSiteCommandOutbox()
        self.now = now
        self.committed = False

    def commit(self):
        self.committed = True

    def rollback(self):
        pass


def a_site(site_id: str) -> Site:
    return Site(site_id, f"Site {site_id}")


def an_item(sku: str) -> Item:
    return Item(sku, f"{sku} description", ("05012345678900",))
