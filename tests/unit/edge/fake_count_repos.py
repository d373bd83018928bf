"""In-memory count, pick face, replenishment and lot-aware quant repositories for the fake unit of work."""
import copy

from edge.domain.barcodes import matches_item
from edge.domain.catalogue import VIRTUAL_PACK
from edge.domain.receiving import QUARANTINE, RECEIVING_DOCK
from edge.domain.counts import COUNT_ASSIGNED, COUNT_LIVE, COUNT_OPEN, CountSettings
from edge.domain.replenishment import REPLEN_ASSIGNED, REPLEN_LIVE, REPLEN_OPEN, ReserveStock
from protocols.status import TASK_ASSIGNED, TASK_AT_LOCATION


class FakeCounts:
    def __init__(self, uow):
        self.uow, self.rows, self.counter, self.stored_settings = uow, {}, 0, CountSettings()

    def get(self, count_id):
        return copy.deepcopy(self.rows.get(count_id))

    def next_id(self):
        self.counter += 1
        return f"CC{self.counter}"

    def add(self, count):
        self.rows[count.count_id] = copy.deepcopy(count)

    save = add

    def live_at(self, location):
        return next((copy.deepcopy(c) for c in self.rows.values() if c.location == location
                     and c.status in COUNT_LIVE), None)

    def next_for(self, badge):
        own = [c for c in self.rows.values() if c.status == COUNT_ASSIGNED and c.picker == badge]
        busy = {t.location for t in self.uow.tasks.rows.values() if t.status in (TASK_ASSIGNED, TASK_AT_LOCATION)}
        free = [c for c in self.rows.values() if c.status == COUNT_OPEN and c.excluded_badge != badge
                and c.location not in busy]
        found = own or sorted(free, key=lambda c: (c.created_at, c.count_id))
        return copy.deepcopy(found[0]) if found else None

    def locations_in_zone(self, zone):
        return [l.location for l in sorted(self.uow.locations.rows.values(), key=lambda l: l.pick_seq)
                if l.zone == zone]

    def sku_for_barcode(self, barcode):
        held = {sku for (_, sku) in self.uow.stock.quants}
        known = [(i.sku, i.gtins) for i in self.uow.items.rows.values()] + [(sku, []) for sku in held]
        return next((sku for sku, gtins in known if matches_item(barcode, sku, gtins)), None)

    def settings(self):
        return self.stored_settings

    def save_settings(self, settings):
        self.stored_settings = settings


class FakePickFaces:
    def __init__(self, faces=()):
        self.rows = {(f.location, f.sku): f for f in faces}

    def get(self, location, sku):
        return self.rows.get((location, sku))

    def save(self, face):
        self.rows[(face.location, face.sku)] = face


class FakeReplenishments:
    def __init__(self, uow):
        self.uow, self.rows, self.counter = uow, {}, 0

    def get(self, replen_id):
        return copy.deepcopy(self.rows.get(replen_id))

    def next_id(self):
        self.counter += 1
        return f"R{self.counter}"

    def add(self, replen):
        self.rows[replen.replen_id] = copy.deepcopy(replen)

    save = add

    def live_for_face(self, location, sku):
        return next((copy.deepcopy(r) for r in self.rows.values() if r.to_location == location and r.sku == sku
                     and r.status in REPLEN_LIVE), None)

    def next_for(self, badge):
        found = sorted((r for r in self.rows.values() if r.status == REPLEN_ASSIGNED and r.picker == badge
                        or r.status == REPLEN_OPEN), key=lambda r: (r.status != REPLEN_ASSIGNED, r.replen_id))
        return copy.deepcopy(found[0]) if found else None

    def reserves(self, sku):
        faces = self.uow.pick_faces.rows
        reserves = []
        for rank, ((location, held, lot), qty) in enumerate(self.uow.quants.all().items()):
            if held != sku or location in (VIRTUAL_PACK, RECEIVING_DOCK, QUARANTINE) or (location, sku) in faces \
                    or qty <= 0:
                continue
            taken = sum(r.qty for r in self.rows.values() if r.from_location == location and r.sku == sku
                        and r.lot == lot and r.status in REPLEN_LIVE)
            reserves.append(ReserveStock(location, lot, qty - taken, self.uow.expiries.get((sku, lot), ""), rank))
        return reserves


class FakeQuants:
    """Lot "" lives in the fake stock (what picks read); other lots are kept here."""

    def __init__(self, uow):
        self.uow, self.lotted = uow, {}

    def all(self):
        plain = {(loc, sku, ""): qty for (loc, sku), qty in self.uow.stock.quants.items()}
        return {**plain, **self.lotted}

    def at(self, location):
        return {(sku, lot): qty for (loc, sku, lot), qty in self.all().items() if loc == location}

    def on_hand(self, location, sku, lot=""):
        return self.all().get((location, sku, lot), 0)

    def change(self, location, sku, lot, qty_delta):
        if lot:
            self.lotted[(location, sku, lot)] = self.lotted.get((location, sku, lot), 0) + qty_delta
        else:
            self.uow.stock.change(location, sku, qty_delta)
