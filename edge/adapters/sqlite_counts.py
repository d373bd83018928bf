"""Repositories for cycle counts, pick faces, replenishments and lot-aware quants; they join the UoW's transaction."""
import json

from edge.domain.barcodes import matches_item
from edge.domain.catalogue import VIRTUAL_PACK
from edge.domain.counts import COUNT_ASSIGNED, COUNT_LIVE, COUNT_OPEN, CountLine, CountSettings, CountTask, Thresholds
from edge.domain.picking import UNLOCATED
from edge.domain.receiving import QUARANTINE, RECEIVING_DOCK
from edge.domain.replenishment import REPLEN_ASSIGNED, REPLEN_OPEN, PickFace, Replenishment, ReserveStock
from protocols.status import TASK_ASSIGNED, TASK_AT_LOCATION

from .held_picks import LIVE_REPLEN
from .sqlite_repositories import SqliteRepository

COUNT_COLUMNS = ("count_id", "location", "origin", "status", "parent_id", "excluded_badge", "picker", "device_id",
                 "lease_epoch", "counted_by", "counted_at", "lines", "decided_by", "decided_at", "decision_reason",
                 "created_at")
REPLEN_COLUMNS = ("replen_id", "sku", "from_location", "lot", "to_location", "qty", "trigger", "status", "picker",
                  "device_id", "lease_epoch", "moved_qty", "created_at", "done_at")


class SqliteCountRepository(SqliteRepository):
    def _counts(self, where: str, params: list) -> list[CountTask]:
        rows = self.db.execute(f"SELECT {', '.join(COUNT_COLUMNS)} FROM count_tasks {where}", params).fetchall()
        found = []
        for row in rows:
            data = dict(zip(COUNT_COLUMNS, row))
            data["lines"] = [CountLine(**line) for line in json.loads(data["lines"])]
            found.append(CountTask(**data))
        return found

    def get(self, count_id: str) -> CountTask | None:
        found = self._counts("WHERE count_id = ?", [count_id])
        return found[0] if found else None

    def next_id(self) -> str:
        return f"{self.site_id}-CC{self._next_counter('count'):06d}"

    def add(self, count: CountTask) -> None:
        self.db.execute(f"INSERT INTO count_tasks ({', '.join(COUNT_COLUMNS)}) VALUES"
                        f" ({','.join('?' for _ in COUNT_COLUMNS)})", self._values(count))

    def save(self, count: CountTask) -> None:
        sets = ", ".join(f"{c} = ?" for c in COUNT_COLUMNS[1:])
        values = self._values(count)
        self.db.execute(f"UPDATE count_tasks SET {sets} WHERE count_id = ?", [*values[1:], values[0]])

    def live_at(self, location: str) -> CountTask | None:
        found = self._counts(f"WHERE location = ? AND status IN ({','.join('?' for _ in COUNT_LIVE)})"
                             " ORDER BY count_id LIMIT 1", [location, *COUNT_LIVE])
        return found[0] if found else None

    def next_for(self, badge: str) -> CountTask | None:
        """Return the counter's own count, else the oldest open one they may do at a location no pick is working."""
        own = self._counts("WHERE status = ? AND picker = ? ORDER BY count_id LIMIT 1", [COUNT_ASSIGNED, badge])
        if own:
            return own[0]
        found = self._counts(
            "WHERE status = ? AND excluded_badge != ? AND NOT EXISTS (SELECT 1 FROM tasks t"
            " WHERE t.location = count_tasks.location AND t.status IN (?, ?))"
            " ORDER BY created_at, count_id LIMIT 1", [COUNT_OPEN, badge, TASK_ASSIGNED, TASK_AT_LOCATION])
        return found[0] if found else None

    def locations_in_zone(self, zone: str) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT location FROM locations WHERE zone = ? ORDER BY pick_seq,"
                                                  " location", [zone])]

    def sku_for_barcode(self, barcode: str) -> str | None:
        """Return the sku the barcode names (its sku or one of its GTINs), or None."""
        # A sku the site holds stock of counts as known even before the centre has sent its item.
        row = self._one("SELECT sku FROM items WHERE sku = ? COLLATE NOCASE UNION ALL"
                        " SELECT sku FROM stock WHERE sku = ? COLLATE NOCASE LIMIT 1", [barcode.strip()] * 2)
        if row:
            return row[0]
        for sku, gtins in self.db.execute("SELECT sku, gtins FROM items WHERE gtins != '[]'"):
            if matches_item(barcode, sku, json.loads(gtins)):
                return sku
        return None

    def settings(self) -> CountSettings:
        row = self._one("SELECT recount_units, recount_pct, approval_units, approval_pct FROM count_settings"
                        " WHERE id = 1", [])
        return CountSettings(Thresholds(row[0], row[1]), Thresholds(row[2], row[3])) if row else CountSettings()

    def save_settings(self, settings: CountSettings) -> None:
        self.db.execute("INSERT OR REPLACE INTO count_settings (id, recount_units, recount_pct, approval_units,"
                        " approval_pct) VALUES (1, ?, ?, ?, ?)",
                        [settings.recount.units, settings.recount.pct, settings.approval.units, settings.approval.pct])

    @staticmethod
    def _values(count: CountTask) -> list:
        values = [getattr(count, c) for c in COUNT_COLUMNS]
        values[COUNT_COLUMNS.index("lines")] = json.dumps([vars(line) for line in count.lines])
        return values


class SqlitePickFaceRepository(SqliteRepository):
    def get(self, location: str, sku: str) -> PickFace | None:
        row = self._one("SELECT location, sku, min_qty, max_qty FROM pick_faces WHERE location = ? AND sku = ?",
                        [location, sku])
        return PickFace(*row) if row else None

    def save(self, face: PickFace) -> None:
        self.db.execute("INSERT OR REPLACE INTO pick_faces (location, sku, min_qty, max_qty) VALUES (?,?,?,?)",
                        [face.location, face.sku, face.min_qty, face.max_qty])


class SqliteReplenishmentRepository(SqliteRepository):
    def _replens(self, where: str, params: list) -> list[Replenishment]:
        rows = self.db.execute(f"SELECT {', '.join(REPLEN_COLUMNS)} FROM replenishments {where}", params)
        return [Replenishment(*row) for row in rows]

    def get(self, replen_id: str) -> Replenishment | None:
        found = self._replens("WHERE replen_id = ?", [replen_id])
        return found[0] if found else None

    def next_id(self) -> str:
        return f"{self.site_id}-R{self._next_counter('replenishment'):06d}"

    def add(self, replen: Replenishment) -> None:
        self.db.execute(f"INSERT INTO replenishments ({', '.join(REPLEN_COLUMNS)}) VALUES"
                        f" ({','.join('?' for _ in REPLEN_COLUMNS)})", [getattr(replen, c) for c in REPLEN_COLUMNS])

    def save(self, replen: Replenishment) -> None:
        sets = ", ".join(f"{c} = ?" for c in REPLEN_COLUMNS[1:])
        self.db.execute(f"UPDATE replenishments SET {sets} WHERE replen_id = ?",
                        [*(getattr(replen, c) for c in REPLEN_COLUMNS[1:]), replen.replen_id])

    def live_for_face(self, location: str, sku: str) -> Replenishment | None:
        found = self._replens(f"WHERE to_location = ? AND sku = ? AND status IN ({LIVE_REPLEN}) LIMIT 1",
                              [location, sku])
        return found[0] if found else None

    def next_for(self, badge: str) -> Replenishment | None:
        found = self._replens("WHERE status = ? AND picker = ? OR status = ?"
                              " ORDER BY status = ? DESC, created_at, replen_id LIMIT 1",
                              [REPLEN_ASSIGNED, badge, REPLEN_OPEN, REPLEN_ASSIGNED])
        return found[0] if found else None

    def reserves(self, sku: str) -> list[ReserveStock]:
        """List the sku's stock outside its pick faces, less what open replenishments already take from it.

        Age rank is the stock row's rowid: the row made first holds the oldest stock at that location. Expiry comes
        from the site's lot register (`lots`, filled by receiving); stock without a known expiry goes last.
        """
        rows = self.db.execute(
            f"SELECT s.location, s.lot, s.qty - COALESCE((SELECT SUM(r.qty) FROM replenishments r"
            f"  WHERE r.from_location = s.location AND r.sku = s.sku AND r.lot = s.lot"
            f"  AND r.status IN ({LIVE_REPLEN})), 0),"
            " COALESCE((SELECT x.expiry FROM lots x WHERE x.sku = s.sku AND x.lot = s.lot), ''), s.rowid"
            # Goods still at the receiving dock or in quarantine are not in reserve yet.
            " FROM stock s WHERE s.sku = ? AND s.qty > 0 AND s.location NOT IN (?, ?, ?, ?)"
            " AND NOT EXISTS (SELECT 1 FROM pick_faces f WHERE f.location = s.location AND f.sku = s.sku)",
            [sku, VIRTUAL_PACK, UNLOCATED, RECEIVING_DOCK, QUARANTINE])
        return [ReserveStock(*row) for row in rows]


class SqliteQuantRepository(SqliteRepository):
    """Stock per (location, sku, lot); the picking repository reads lot "" only."""

    def at(self, location: str) -> dict[tuple[str, str], int]:
        rows = self.db.execute("SELECT sku, lot, qty FROM stock WHERE location = ?", [location])
        return {(sku, lot): qty for sku, lot, qty in rows}

    def on_hand(self, location: str, sku: str, lot: str = "") -> int:
        row = self._one("SELECT qty FROM stock WHERE location = ? AND sku = ? AND lot = ?", [location, sku, lot])
        return row[0] if row else 0

    def change(self, location: str, sku: str, lot: str, qty_delta: int) -> None:
        self.db.execute("INSERT INTO stock (location, sku, lot, qty) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (location, sku, lot) DO UPDATE SET qty = qty + excluded.qty",
                        [location, sku, lot, qty_delta])
