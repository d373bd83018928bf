"""Read side of customer returns: an order's returns as the API and the ops view show them."""
import json
import sqlite3


def order_returns(conn: sqlite3.Connection, order_id: str) -> list[dict]:
    """Return the order's returns, oldest first, with their announced and received lines."""
    rows = conn.execute("SELECT return_id, rma_id, order_id, site_id, status, reason, expected, received, picker,"
                        " created_at, updated_at FROM order_returns WHERE order_id = ? ORDER BY created_at, return_id",
                        [order_id])
    return [dict(row, expected=json.loads(row["expected"]), received=json.loads(row["received"])) for row in rows]
