"""The unit of work port and the repository roles it gives handlers (adapters implement them)."""
import abc

from central.domain.asns import Asn
from central.domain.master_data import Item, Site
from central.domain.orders import Order
from central.domain.returns import CustomerReturn


class OrderRepository(abc.ABC):
    @abc.abstractmethod
    def next_order_id(self) -> str: ...

    @abc.abstractmethod
    def add(self, order: Order) -> None: ...

    @abc.abstractmethod
    def get(self, order_id: str) -> Order | None: ...

    @abc.abstractmethod
    def id_for_external_ref(self, external_ref: str) -> str | None: ...

    @abc.abstractmethod
    def save(self, order: Order) -> None:
        """Write the order's status, note, line progress, its new history rows and its new parts."""

    @abc.abstractmethod
    def parts(self, order_id: str) -> list[Order]:
        """Return the orders whose parent is this order (split parts, re-allocated shorts)."""

    @abc.abstractmethod
    def backorders(self, order_id: str, task_id: str) -> list[Order]:
        """Return the back-order parts made for the short of this task on this site order."""

    @abc.abstractmethod
    def waiting(self) -> list[Order]:
        """Return every order still received (not allocated to any site)."""

    @abc.abstractmethod
    def outstanding_by_site(self, skus: set[str]) -> dict[str, dict[str, int]]:
        """Return qty still to pick per site and sku on allocated orders not shipped or cancelled."""


class ItemRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, sku: str) -> Item | None: ...

    @abc.abstractmethod
    def put(self, item: Item) -> None: ...

    @abc.abstractmethod
    def all(self) -> list[Item]: ...

    @abc.abstractmethod
    def missing(self, skus: list[str]) -> list[str]:
        """Return the skus (in the order given) that are not in the item master."""


class SiteRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, site_id: str) -> Site | None: ...

    @abc.abstractmethod
    def put(self, site: Site) -> None: ...

    @abc.abstractmethod
    def ids(self) -> list[str]: ...

    @abc.abstractmethod
    def record_state(self, site_id: str, online: bool, state: dict, seen_at: str) -> bool:
        """Store a site's presence; return False if the site is not registered."""


class StockRepository(abc.ABC):
    @abc.abstractmethod
    def add_delta(self, site_id: str, location: str, sku: str, lot: str, qty_delta: int) -> int:
        """Add a signed delta to one stock row (creating it at 0); return the new qty."""

    @abc.abstractmethod
    def on_hand_by_site(self, skus: set[str], exclude_locations: tuple[str, ...]) -> dict[str, dict[str, int]]: ...


class LocationRepository(abc.ABC):
    @abc.abstractmethod
    def upsert(self, site_id: str, location: str, barcode: str, zone: str, pick_seq: int) -> None: ...


class StockSnapshotRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, site_id: str, taken_at: str, rows: list[dict], received_at: str) -> int:
        """Keep a site's own stock export as it sent it; return its id."""


class SiteCommandOutbox(abc.ABC):
    @abc.abstractmethod
    def send(self, site_id: str, command_type: str, data: dict) -> None:
        """Queue a command for one site, in the same transaction as the change that caused it."""


class AsnRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, asn_id: str) -> Asn | None: ...

    @abc.abstractmethod
    def add(self, asn: Asn) -> None: ...

    @abc.abstractmethod
    def save(self, asn: Asn) -> None: ...

    @abc.abstractmethod
    def add_blind_receipt(self, site_id: str, receipt: dict, now: str) -> None: ...


class ReturnRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, return_id: str) -> CustomerReturn | None: ...

    @abc.abstractmethod
    def for_order(self, order_id: str) -> list[CustomerReturn]: ...

    @abc.abstractmethod
    def add(self, customer_return: CustomerReturn) -> None: ...

    @abc.abstractmethod
    def save(self, customer_return: CustomerReturn) -> None: ...


class UnitOfWork(abc.ABC):
    """One transaction: handlers read and write through the repositories, then commit."""

    orders: OrderRepository
    items: ItemRepository
    sites: SiteRepository
    stock: StockRepository
    locations: LocationRepository
    snapshots: StockSnapshotRepository
    commands: SiteCommandOutbox
    asns: "AsnRepository"
    returns: "ReturnRepository"
    now: str
    commands_sent: int = 0

    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()

    def send_command(self, site_id: str, command_type: str, data: dict) -> None:
        """Queue a command for a site and count it, so the caller knows to wake the sync."""
        self.commands.send(site_id, command_type, data)
        self.commands_sent += 1

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None:
        """Undo everything not committed (a no-op after commit)."""
