"""In-memory lot policy, lot lookups and verification profiles for handler tests."""
from edge.domain.lots import LotAtLocation, LotPolicy
from edge.domain.verification import Profiles


class FakeLots:
    def __init__(self, uow):
        self.uow, self.saved_policy = uow, LotPolicy()

    def policy(self):
        return self.saved_policy

    def save_policy(self, policy):
        self.saved_policy = policy

    def at_location(self, location, sku, lot):
        key = (location, sku, lot)
        expiry = self.uow.expiries.get((sku, lot))
        if key not in self.uow.quants.lotted and lot:
            return LotAtLocation(lot, expiry, 0) if expiry is not None else None
        return LotAtLocation(lot, expiry or "", self.uow.stock.on_hand(location, sku, lot))

    def lots_at(self, location, sku):
        return [LotAtLocation(lot, self.uow.expiries.get((sku, lot), ""), qty)
                for (loc, s, lot), qty in sorted(self.uow.quants.lotted.items())
                if loc == location and s == sku and qty > 0]


class FakeVerification:
    def __init__(self):
        self.rows, self.classes, self.reads = {}, {}, 0

    def profiles(self):
        self.reads += 1
        return Profiles(dict(self.rows), dict(self.classes))

    def save(self, profile, actor, at):
        self.rows[profile.scope, profile.name] = profile.requires

    def delete(self, scope, name):
        return self.rows.pop((scope, name), None) is not None

    def set_item_class(self, sku, item_class):
        if item_class:
            self.classes[sku] = item_class
        else:
            self.classes.pop(sku, None)
