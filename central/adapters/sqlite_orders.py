"""The order repository on SQLite: orders, their lines and their status history."""
from sqlite_utils import Database

from central.domain.orders import CLOSED_STATUSES, Order, OrderLine
from central.service.unit_of_work import OrderRepository
from protocols.status import ORDER_RECEIVED
from sync.sql_dialect import dialect_of

ORDER_COLUMNS = ("order_id, external_ref, customer, priority, requested_ship_date, status, site_id, note,"
                 " created_at, updated_at, allow_split, parent_order_id, kind, ship_to_site, transfer_received_at,"
                 " backorder_of, backorder_task, backorder_recovered")


class SqliteOrderRepository(OrderRepository):
    """Load and save whole orders inside the unit of work's transaction."""

    def __init__(self, db: Database):
        self.db = db

    def next_order_id(self) -> str:
        # a counter row rather than MAX(order_id): ids stay unique even past SO-999999
        self.db.execute("INSERT INTO counters (name, value) VALUES ('order', 1)"
                        " ON CONFLICT (name) DO UPDATE SET value = counters.value + 1")
        (value,) = self.db.execute("SELECT value FROM counters WHERE name = 'order'").fetchone()
        return f"SO-{value:06d}"

    def add(self, order: Order) -> None:
        self.db.execute(
            f"INSERT INTO orders ({ORDER_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [order.order_id, order.external_ref, order.customer, order.priority, order.requested_ship_date,
             order.status, order.site_id, order.note, order.created_at, order.updated_at, int(order.allow_split),
             order.parent_order_id, order.kind, order.ship_to_site, order.transfer_received_at,
             order.backorder_of, order.backorder_task, order.backorder_recovered])
        for line in order.lines:
            self.db.execute(
                "INSERT INTO order_lines (order_id, line_no, sku, qty, picked_qty, short_qty) VALUES (?,?,?,?,?,?)",
                [order.order_id, line.line_no, line.sku, line.qty, line.picked_qty, line.short_qty])
        self._write_history(order)
        self._add_parts(order)

    def get(self, order_id: str) -> Order | None:
        # on PostgreSQL two site ingests may touch one order (a transfer): the second waits for the first
        row = self.db.execute(f"SELECT {ORDER_COLUMNS} FROM orders WHERE order_id = ?" + dialect_of(self.db).for_update,
                              [order_id]).fetchone()
        return self._load([row])[0] if row else None

    def id_for_external_ref(self, external_ref: str) -> str | None:
        row = self.db.execute("SELECT order_id FROM orders WHERE external_ref = ?", [external_ref]).fetchone()
        return row[0] if row else None

    def save(self, order: Order) -> None:
        self.db.execute("UPDATE orders SET status = ?, site_id = ?, note = ?, updated_at = ?, transfer_received_at = ?,"
                        " backorder_recovered = ? WHERE order_id = ?",
                        [order.status, order.site_id, order.note, order.updated_at, order.transfer_received_at,
                         order.backorder_recovered, order.order_id])
        for line in order.lines:
            self.db.execute("UPDATE order_lines SET qty = ?, picked_qty = ?, short_qty = ?"
                            " WHERE order_id = ? AND line_no = ?",
                            [line.qty, line.picked_qty, line.short_qty, order.order_id, line.line_no])
        self._write_history(order)
        self._add_parts(order)

    def parts(self, order_id: str) -> list[Order]:
        rows = self.db.execute(f"SELECT {ORDER_COLUMNS} FROM orders WHERE parent_order_id = ? ORDER BY order_id",
                               [order_id]).fetchall()
        return self._load(rows)

    def backorders(self, order_id: str, task_id: str) -> list[Order]:
        rows = self.db.execute(f"SELECT {ORDER_COLUMNS} FROM orders WHERE backorder_of = ? AND backorder_task = ?"
                               " ORDER BY order_id", [order_id, task_id]).fetchall()
        return self._load(rows)

    def _add_parts(self, order: Order) -> None:
        for part in order.new_parts:
            self.add(part)
        order.new_parts.clear()

    def waiting(self) -> list[Order]:
        rows = self.db.execute(f"SELECT {ORDER_COLUMNS} FROM orders WHERE status = ?"
                               " ORDER BY priority, requested_ship_date, order_id", [ORDER_RECEIVED]).fetchall()
        return self._load(rows)

    def outstanding_by_site(self, skus: set[str]) -> dict[str, dict[str, int]]:
        if not skus:
            return {}
        marks = ",".join("?" * len(skus))
        closed = ",".join("?" * len(CLOSED_STATUSES))
        rows = self.db.execute(
            "SELECT o.site_id, l.sku, SUM(CASE WHEN l.qty - l.picked_qty - l.short_qty > 0"
            " THEN l.qty - l.picked_qty - l.short_qty ELSE 0 END)"
            " FROM order_lines l JOIN orders o ON o.order_id = l.order_id"
            f" WHERE o.site_id IS NOT NULL AND o.status NOT IN ({closed}) AND l.sku IN ({marks})"
            " GROUP BY o.site_id, l.sku", [*CLOSED_STATUSES, *sorted(skus)]).fetchall()
        outstanding: dict[str, dict[str, int]] = {}
        for site_id, sku, qty in rows:
            outstanding.setdefault(site_id, {})[sku] = qty
        return outstanding

    def _write_history(self, order: Order) -> None:
        for change in order.new_history:
            self.db.execute("INSERT INTO order_status_history (order_id, status, at, source, note, actor)"
                            " VALUES (?,?,?,?,?,?)",
                            [order.order_id, change.status, change.at, change.source, change.note, change.actor])
        order.new_history.clear()

    def _load(self, rows) -> list[Order]:
        orders = [Order(order_id=row["order_id"], customer=row["customer"], priority=row["priority"],
                        requested_ship_date=row["requested_ship_date"], lines=[], status=row["status"],
                        site_id=row["site_id"], external_ref=row["external_ref"], note=row["note"],
                        created_at=row["created_at"], updated_at=row["updated_at"],
                        allow_split=bool(row["allow_split"]), parent_order_id=row["parent_order_id"],
                        kind=row["kind"], ship_to_site=row["ship_to_site"],
                        transfer_received_at=row["transfer_received_at"], backorder_of=row["backorder_of"],
                        backorder_task=row["backorder_task"],
                        backorder_recovered=row["backorder_recovered"]) for row in rows]
        by_id = {order.order_id: order for order in orders}
        for chunk_start in range(0, len(orders), 500):
            ids = [order.order_id for order in orders[chunk_start:chunk_start + 500]]
            lines = self.db.execute(
                "SELECT order_id, line_no, sku, qty, picked_qty, short_qty FROM order_lines"
                f" WHERE order_id IN ({','.join('?' * len(ids))}) ORDER BY order_id, line_no", ids).fetchall()
            for row in lines:
                by_id[row["order_id"]].lines.append(
                    OrderLine(row["line_no"], row["sku"], row["qty"], row["picked_qty"], row["short_qty"]))
        return orders
