"""Handler that loads a site's master data and counted stock."""
from edge.domain.catalogue import Location, Picker, hash_pin, verify_pin
from edge.domain.errors import DomainError, SiteMismatch
from edge.domain.events import Event, LocationUpserted, StockChanged

from .commands import SeedSite
from .picking import apply_stock
from .unit_of_work import UnitOfWork


class UnknownLocation(DomainError):
    code = "unknown_location"

    def __init__(self, location: str):
        super().__init__(f"Stock is counted at {location}, which is not a location of this site. "
                         "Add it to the file's locations.")


def seed_site(cmd: SeedSite, uow: UnitOfWork) -> dict:
    """Upsert locations and pickers and book each stock count as the delta from what the site holds."""
    with uow:
        if cmd.site_id != uow.site_id:
            raise SiteMismatch(uow.site_id, cmd.site_id)
        events: list[Event] = []
        for raw in cmd.locations:
            location = Location(raw["location"], raw["barcode"], raw.get("zone", ""), raw["pick_seq"])
            if uow.locations.get(location.location) != location:
                uow.locations.save(location)
                events.append(LocationUpserted(location.location, location.barcode, location.zone,
                                               location.pick_seq))
        pickers = 0
        for raw in cmd.pickers:
            known = uow.pickers.get(raw["badge"])
            if known and known.name == raw["name"] and verify_pin(raw["pin"], known.pin_hash):
                continue  # re-hashing would churn the salt for nothing
            uow.pickers.save(Picker(raw["badge"], raw["name"], hash_pin(raw["pin"])))
            pickers += 1
        counts: list[Event] = []
        for raw in cmd.stock:
            if uow.locations.get(raw["location"]) is None:
                raise UnknownLocation(raw["location"])
            delta = raw["qty"] - uow.stock.on_hand(raw["location"], raw["sku"])
            if delta:
                counts.append(StockChanged(raw["location"], raw["sku"], delta, "count", "seed"))
        apply_stock(uow, counts)
        uow.emit([*events, *counts])
        uow.commit()
    return {"locations_changed": len(events), "pickers_changed": pickers, "stock_changes": len(counts)}
