"""Choose the site that fills an order: the centre's allocation rule.

Rule (walking skeleton):

1. A site's *on hand* for a sku is the sum of its stock rows over every location except the
   virtual locations ``PACK`` (picked goods waiting to ship), ``RECV`` (received, not yet put
   away, so not pickable) and ``QUAR`` (damaged on receipt): none of them can be picked. Stock rows are
   the sum of the site's signed stock deltas, so on hand can be negative; it then counts as is.
2. A site's *available* qty of a sku is its on hand minus what is still outstanding on other
   orders allocated to that site and not yet shipped or cancelled, where a line's outstanding
   qty is ``qty - picked_qty - short_qty`` (never below 0).
3. A site can fill an order if, for every sku of the order, its available qty covers the qty
   asked (the sum over the order's lines for that sku). Only registered sites are candidates.
4. Among the sites that can fill it, choose the one with the most total available over the
   order's skus; a tie goes to the lowest site_id. If no site can fill it the order stays
   received with the note "waiting for stock at any site" and is tried again later.
5. When several waiting orders are tried together, they go in (priority, requested_ship_date,
   order_id) order, and each allocation reserves its quantities before the next is tried.

6. Split policy: an order is filled by one site whenever one can. Only when none can, and the
   order has ``allow_split``, is it split: sites are taken greedily, each time the site that
   covers most of what is still missing (tie: lowest site_id), until the order is covered. Each
   part becomes its own site order ``<order_id>-<n>`` with the order as its parent; the order
   itself becomes ``split``. If even all sites together cannot cover it, nothing is split and the
   order waits like any other (no partial fills).
7. A short pick a site cannot fill (``task.shorted``) is offered to the other sites: if one can
   fill the short quantity it gets a new part ``<root>-<n>`` (a back-order, whatever
   ``allow_split`` says, since the customer still wants the goods); else the line is short-closed.
   Transfers are never re-allocated: their short quantity is short-closed. If the shorting site
   then fills the short itself (``task.short_recovered``), the line owes the units again and the
   back-order is taken back where it still can be (see short_recovery.py).
"""
from dataclasses import dataclass

from .orders import Order

PACK_LOCATION = "PACK"
UNPICKABLE_LOCATIONS = (PACK_LOCATION, "RECV", "QUAR")

SkuQty = dict[str, int]


@dataclass
class Availability:
    """What each candidate site can still promise, per sku."""

    by_site: dict[str, SkuQty]

    @classmethod
    def from_stock(cls, sites: list[str], on_hand: dict[str, SkuQty],
                   outstanding: dict[str, SkuQty]) -> "Availability":
        """Build availability as on hand minus outstanding, for the candidate sites only."""
        by_site = {}
        for site in sites:
            held, owed = on_hand.get(site, {}), outstanding.get(site, {})
            by_site[site] = {sku: held.get(sku, 0) - owed.get(sku, 0) for sku in set(held) | set(owed)}
        return cls(by_site)

    def available(self, site: str, sku: str) -> int:
        return self.by_site.get(site, {}).get(sku, 0)

    def choose_site(self, demand: SkuQty) -> str | None:
        """Return the site that can fill the whole demand with the most to spare, or None."""
        fitting = [site for site in self.by_site
                   if all(self.available(site, sku) >= qty for sku, qty in demand.items())]
        if not fitting:
            return None
        return min(fitting, key=lambda site: (-sum(self.available(site, sku) for sku in demand), site))

    def plan_split(self, demand: SkuQty) -> list[tuple[str, SkuQty]] | None:
        """Return (site, quantities) parts that together cover the demand, fewest sites first; None if they can't."""
        missing = {sku: qty for sku, qty in demand.items() if qty > 0}
        spare = {site: dict(stock) for site, stock in self.by_site.items()}
        plan = []
        while missing:
            def cover(site: str) -> SkuQty:
                return {sku: min(qty, max(spare[site].get(sku, 0), 0)) for sku, qty in missing.items()
                        if spare[site].get(sku, 0) > 0}
            best = min(spare, key=lambda site: (-sum(cover(site).values()), site), default=None)
            taken = cover(best) if best is not None else {}
            if not taken:
                return None
            plan.append((best, taken))
            for sku, qty in taken.items():
                spare[best][sku] -= qty
                missing[sku] -= qty
            missing = {sku: qty for sku, qty in missing.items() if qty > 0}
        return plan

    def without(self, site: str) -> "Availability":
        """Return the availability of every other site."""
        return Availability({other: stock for other, stock in self.by_site.items() if other != site})

    def reserve(self, site: str, demand: SkuQty) -> None:
        """Take an allocated order's quantities out of the site's availability."""
        stock = self.by_site.setdefault(site, {})
        for sku, qty in demand.items():
            stock[sku] = stock.get(sku, 0) - qty


def allocation_order(orders: list[Order]) -> list[Order]:
    """Sort waiting orders the way they are offered stock: most urgent, earliest ship date first."""
    return sorted(orders, key=lambda o: (o.priority, o.requested_ship_date, o.order_id))


def allocate_orders(orders: list[Order], availability: Availability, now: str) -> list[Order]:
    """Allocate every order some site (or, if allowed, some sites) can fill; return the site orders made.

    A split order is not itself returned; its parts (in ``order.new_parts``) are.
    """
    allocated = []
    for order in allocation_order(orders):
        demand = order.demand()
        site = availability.choose_site(demand)
        if site is not None:
            order.allocate(site, now)
            availability.reserve(site, demand)
            allocated.append(order)
            continue
        plan = availability.plan_split(demand) if order.allow_split else None
        if plan is None:
            order.wait_for_stock(now)
            continue
        for part in order.split(plan, now):
            availability.reserve(part.site_id, part.demand())
            allocated.append(part)
    return allocated
