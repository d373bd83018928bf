"""Master data the centre owns and sends to sites: sites and items."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    site_id: str
    name: str


@dataclass(frozen=True)
class Item:
    sku: str
    description: str = ""
    gtins: tuple[str, ...] = ()
    tracking: str = "none"

    def as_command_data(self) -> dict:
        """Return the item as the `item` part of order.allocated and as item.upserted data."""
        data = {"sku": self.sku, "description": self.description, "gtins": list(self.gtins)}
        if self.tracking != "none":  # left out when untracked, so sites that predate the field accept it
            data["tracking"] = self.tracking
        return data
