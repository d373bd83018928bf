"""The wave and batch repository on SQLite; every call joins the unit of work's open transaction."""
from edge.domain.batching import BATCH_LIVE, BATCH_OPEN, BATCH_PICKING, Batch, BatchSlot, Wave, WaveCandidate
from protocols.status import ORDER_RELEASED, TASK_ASSIGNED, TASK_AT_LOCATION, TASK_OPEN

from .sqlite_repositories import SqliteRepository

BATCH_COLUMNS = ("batch_id", "wave_id", "status", "picker", "device_id", "created_at", "claimed_at", "closed_at")
LIVE = ",".join(f"'{status}'" for status in BATCH_LIVE)


class SqliteBatchRepository(SqliteRepository):
    def _batches(self, where: str, params: list) -> list[Batch]:
        rows = self.db.execute(f"SELECT {', '.join(BATCH_COLUMNS)} FROM batches {where}", params).fetchall()
        found = []
        for row in rows:
            slots = [BatchSlot(*slot) for slot in self.db.execute(
                "SELECT slot, order_id, tote FROM batch_slots WHERE batch_id = ? ORDER BY slot", [row[0]])]
            found.append(Batch(row[0], row[1], slots, *row[2:]))
        return found

    def get(self, batch_id: str) -> Batch | None:
        found = self._batches("WHERE batch_id = ?", [batch_id])
        return found[0] if found else None

    def next_for(self, badge: str) -> Batch | None:
        found = self._batches("WHERE status = ? AND picker = ? ORDER BY batch_id LIMIT 1", [BATCH_PICKING, badge])
        found = found or self._batches("WHERE status = ? ORDER BY created_at, batch_id LIMIT 1", [BATCH_OPEN])
        return found[0] if found else None

    def next_wave_id(self) -> str:
        return f"{self.site_id}-W{self._next_counter('wave'):05d}"

    def next_batch_id(self) -> str:
        return f"{self.site_id}-B{self._next_counter('batch'):05d}"

    def add_wave(self, wave: Wave) -> None:
        self.db.execute("INSERT INTO waves (wave_id, rule, cart_slots, released_by, released_at) VALUES (?,?,?,?,?)",
                        [wave.wave_id, wave.rule, wave.cart_slots, wave.released_by, wave.released_at])

    def add(self, batch: Batch) -> None:
        self.db.execute(f"INSERT INTO batches ({', '.join(BATCH_COLUMNS)}) VALUES"
                        f" ({','.join('?' for _ in BATCH_COLUMNS)})", [getattr(batch, c) for c in BATCH_COLUMNS])
        self.db.conn.executemany("INSERT INTO batch_slots (batch_id, slot, order_id, tote) VALUES (?,?,?,?)",
                            [(batch.batch_id, s.slot, s.order_id, s.tote) for s in batch.slots])

    def save(self, batch: Batch) -> None:
        sets = ", ".join(f"{c} = ?" for c in BATCH_COLUMNS[2:])
        self.db.execute(f"UPDATE batches SET {sets} WHERE batch_id = ?",
                        [*(getattr(batch, c) for c in BATCH_COLUMNS[2:]), batch.batch_id])
        self.db.conn.executemany("UPDATE batch_slots SET tote = ? WHERE batch_id = ? AND slot = ?",
                            [(s.tote, batch.batch_id, s.slot) for s in batch.slots])

    def wave_candidates(self) -> list[WaveCandidate]:
        rows = self.db.execute(
            "SELECT o.order_id, o.priority, o.requested_ship_date FROM orders o WHERE o.status = ?"
            " AND EXISTS (SELECT 1 FROM tasks t WHERE t.order_id = o.order_id AND t.status = ?)"
            " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.order_id = o.order_id"
            "  AND (t.status IN (?, ?) OR t.picked_qty > 0))"
            " AND NOT EXISTS (SELECT 1 FROM batch_slots bs JOIN batches b ON b.batch_id = bs.batch_id"
            f"  WHERE bs.order_id = o.order_id AND b.status IN ({LIVE}))"
            " ORDER BY o.priority, o.requested_ship_date, o.order_id",
            [ORDER_RELEASED, TASK_OPEN, TASK_ASSIGNED, TASK_AT_LOCATION]).fetchall()
        return [WaveCandidate(*row) for row in rows]

    def tote_in_use(self, tote: str, except_batch: str) -> str | None:
        row = self._one("SELECT b.batch_id FROM batch_slots bs JOIN batches b ON b.batch_id = bs.batch_id"
                        f" WHERE bs.tote = ? AND b.status IN ({LIVE}) AND b.batch_id != ? LIMIT 1",
                        [tote, except_batch])
        return row[0] if row else None
