"""SQLite repository of customer returns (announced RMAs and what sites report)."""
import json

from sqlite_utils import Database

from central.domain.returns import CustomerReturn
from central.service.unit_of_work import ReturnRepository

COLUMNS = ("return_id", "order_id", "site_id", "rma_id", "status", "reason", "expected", "received", "picker",
           "created_at", "updated_at")
JSON_COLUMNS = ("expected", "received")


class SqliteReturnRepository(ReturnRepository):
    def __init__(self, db: Database):
        self.db = db

    def _load(self, row) -> CustomerReturn:
        values = dict(zip(COLUMNS, row))
        return CustomerReturn(**{k: json.loads(v) if k in JSON_COLUMNS else v for k, v in values.items()})

    def get(self, return_id: str) -> CustomerReturn | None:
        row = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM order_returns WHERE return_id = ?",
                              [return_id]).fetchone()
        return self._load(row) if row else None

    def for_order(self, order_id: str) -> list[CustomerReturn]:
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM order_returns WHERE order_id = ?"
                               " ORDER BY created_at, return_id", [order_id])
        return [self._load(row) for row in rows]

    def add(self, customer_return: CustomerReturn) -> None:
        self.db.execute(f"INSERT INTO order_returns ({', '.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})",
                        [json.dumps(getattr(customer_return, c)) if c in JSON_COLUMNS else getattr(customer_return, c)
                         for c in COLUMNS])

    def save(self, customer_return: CustomerReturn) -> None:
        self.db.execute("UPDATE order_returns SET status = ?, received = ?, picker = ?, updated_at = ?"
                        " WHERE return_id = ?", [customer_return.status, json.dumps(customer_return.received),
                                                 customer_return.picker, customer_return.updated_at,
                                                 customer_return.return_id])
