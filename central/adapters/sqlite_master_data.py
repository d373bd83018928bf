"""SQLite repositories for sites, items, locations and per-site stock, plus the command outbox."""
import json

from sqlite_utils import Database

from central.domain.master_data import Item, Site
from central.service.unit_of_work import (ItemRepository, LocationRepository, SiteCommandOutbox, SiteRepository,
                                          StockRepository, StockSnapshotRepository)
from sync.sqlite_store import OutgoingEvent, append_outbox


class SqliteSiteRepository(SiteRepository):
    def __init__(self, db: Database):
        self.db = db

    def get(self, site_id: str) -> Site | None:
        row = self.db.execute("SELECT site_id, name FROM sites WHERE site_id = ?", [site_id]).fetchone()
        return Site(row["site_id"], row["name"]) if row else None

    def put(self, site: Site) -> None:
        self.db.execute("INSERT INTO sites (site_id, name) VALUES (?, ?)"
                        " ON CONFLICT (site_id) DO UPDATE SET name = excluded.name", [site.site_id, site.name])

    def ids(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT site_id FROM sites ORDER BY site_id")]

    def record_state(self, site_id: str, online: bool, state: dict, seen_at: str) -> bool:
        cursor = self.db.execute(
            "UPDATE sites SET online = ?, last_state = ?, last_seen_at = ? WHERE site_id = ?",
            [int(online), json.dumps(state, sort_keys=True), seen_at, site_id])
        return cursor.rowcount > 0


class SqliteItemRepository(ItemRepository):
    def __init__(self, db: Database):
        self.db = db

    def get(self, sku: str) -> Item | None:
        row = self.db.execute("SELECT sku, description, gtins, tracking FROM items WHERE sku = ?", [sku]).fetchone()
        return self._item(row) if row else None

    def put(self, item: Item) -> None:
        self.db.execute("INSERT INTO items (sku, description, gtins, tracking) VALUES (?, ?, ?, ?) ON CONFLICT (sku)"
                        " DO UPDATE SET description = excluded.description, gtins = excluded.gtins,"
                        " tracking = excluded.tracking",
                        [item.sku, item.description, json.dumps(list(item.gtins)), item.tracking])

    def all(self) -> list[Item]:
        rows = self.db.execute("SELECT sku, description, gtins, tracking FROM items ORDER BY sku")
        return [self._item(row) for row in rows]

    def missing(self, skus: list[str]) -> list[str]:
        found = set()
        unique = sorted(set(skus))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            found.update(row[0] for row in self.db.execute(
                f"SELECT sku FROM items WHERE sku IN ({','.join('?' * len(chunk))})", chunk))
        return list(dict.fromkeys(sku for sku in skus if sku not in found))

    @staticmethod
    def _item(row) -> Item:
        return Item(row["sku"], row["description"], tuple(json.loads(row["gtins"])), row["tracking"])


class SqliteStockRepository(StockRepository):
    def __init__(self, db: Database):
        self.db = db

    def add_delta(self, site_id: str, location: str, sku: str, lot: str, qty_delta: int) -> int:
        # a sum of deltas, never last-write-wins: replays are stopped by the inbox, not here
        (qty,) = self.db.execute("INSERT INTO stock (site_id, location, sku, lot, qty) VALUES (?,?,?,?,?)"
                                 " ON CONFLICT (site_id, location, sku, lot) DO UPDATE SET qty = stock.qty + excluded.qty"
                                 " RETURNING qty", [site_id, location, sku, lot, qty_delta]).fetchone()
        return qty

    def on_hand_by_site(self, skus: set[str], exclude_locations: tuple[str, ...]) -> dict[str, dict[str, int]]:
        if not skus:
            return {}
        rows = self.db.execute(
            "SELECT site_id, sku, SUM(qty) FROM stock"
            f" WHERE sku IN ({','.join('?' * len(skus))}) AND location NOT IN ({','.join('?' * len(exclude_locations))})"
            " GROUP BY site_id, sku", [*sorted(skus), *exclude_locations])
        on_hand: dict[str, dict[str, int]] = {}
        for site_id, sku, qty in rows:
            on_hand.setdefault(site_id, {})[sku] = qty
        return on_hand


class SqliteLocationRepository(LocationRepository):
    def __init__(self, db: Database):
        self.db = db

    def upsert(self, site_id: str, location: str, barcode: str, zone: str, pick_seq: int) -> None:
        self.db.execute("INSERT INTO locations (site_id, location, barcode, zone, pick_seq) VALUES (?,?,?,?,?)"
                        " ON CONFLICT (site_id, location) DO UPDATE SET barcode = excluded.barcode,"
                        " zone = excluded.zone, pick_seq = excluded.pick_seq",
                        [site_id, location, barcode, zone, pick_seq])


class SqliteStockSnapshotRepository(StockSnapshotRepository):
    def __init__(self, db: Database):
        self.db = db

    def add(self, site_id: str, taken_at: str, rows: list[dict], received_at: str) -> int:
        (snapshot_id,) = self.db.execute(
            "INSERT INTO site_snapshots (site_id, taken_at, received_at, rows) VALUES (?,?,?,?) RETURNING snapshot_id",
            [site_id, taken_at, received_at, json.dumps(rows, separators=(",", ":"))]).fetchone()
        return snapshot_id


class SqliteSiteCommandOutbox(SiteCommandOutbox):
    """Append commands to the sync outbox; the stream name is the site id (see sync.hub_endpoint)."""

    def __init__(self, db: Database, now: str):
        self.db, self.now = db, now

    def send(self, site_id: str, command_type: str, data: dict) -> None:
        append_outbox(self.db, site_id, [OutgoingEvent(command_type, data, occurred_at=self.now)])
