"""The customer return repository over SQLite; every call joins the unit of work's open transaction."""
import json

from sqlite_utils import Database

from edge.domain.returns import CustomerReturn, ReturnDiscrepancy, ReturnedLine

COLUMNS = ("return_id", "rma_id", "order_id", "customer", "status", "expected", "lines", "created_at", "closed_at")


class SqliteReturnRepository:
    def __init__(self, db: Database):
        self.db = db

    def _returns(self, where: str, params: list) -> list[CustomerReturn]:
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM customer_returns WHERE {where}"
                               " ORDER BY created_at, return_id", params)
        return [CustomerReturn(r[0], r[2], r[1], r[3], json.loads(r[5]), [ReturnedLine(**line) for line in
                                                                        json.loads(r[6])], r[4], r[7], r[8])
                for r in rows]

    def get(self, return_id: str) -> CustomerReturn | None:
        found = self._returns("return_id = ?", [return_id])
        return found[0] if found else None

    def add(self, customer_return: CustomerReturn) -> None:
        row = customer_return.as_row()
        self.db.execute(f"INSERT INTO customer_returns ({', '.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})",
                        [json.dumps(row[c]) if c in ("expected", "lines") else row[c] for c in COLUMNS])

    def save(self, customer_return: CustomerReturn) -> None:
        row = customer_return.as_row()
        self.db.execute("UPDATE customer_returns SET status = ?, lines = ?, closed_at = ? WHERE return_id = ?",
                        [row["status"], json.dumps(row["lines"]), row["closed_at"], row["return_id"]])

    def for_order(self, order_id: str) -> list[CustomerReturn]:
        return self._returns("order_id = ?", [order_id])

    def pick_faces(self, sku: str) -> list[str]:
        return [row[0] for row in self.db.execute(
            "SELECT f.location FROM pick_faces f JOIN locations l ON l.location = f.location WHERE f.sku = ?"
            " ORDER BY l.pick_seq, f.location", [sku])]

    def add_exceptions(self, customer_return: CustomerReturn, found: list[ReturnDiscrepancy], at: str) -> None:
        for d in found:
            self.db.execute("INSERT INTO return_exceptions (return_id, order_id, sku, expected, returned, kind,"
                            " recorded_at) VALUES (?,?,?,?,?,?,?)", [customer_return.return_id,
                                                                     customer_return.order_id, d.sku, d.expected,
                                                                     d.returned, d.kind, at])
