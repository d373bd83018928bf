"""Indexes the ops view reads through: the site events ledger by type and time, by order, and negative stock."""
from sqlite_utils import Database, Migrations

ops_migrations = Migrations("central-ops")


@ops_migrations()
def m001_ops_view_indexes(db: Database) -> None:
    # KPIs and throughput read one event type over a time window across every site;
    # the (stream, type) index would make them walk every site's whole history.
    db.executescript("""
    CREATE INDEX IF NOT EXISTS sync_inbox_by_type_time ON sync_inbox (type, occurred_at);
    CREATE INDEX IF NOT EXISTS sync_inbox_by_type_received ON sync_inbox (type, received_at);
    CREATE INDEX IF NOT EXISTS sync_inbox_by_order ON sync_inbox (json_extract(data, '$.order_id'))
        WHERE json_extract(data, '$.order_id') IS NOT NULL;
    CREATE INDEX IF NOT EXISTS order_status_history_by_status ON order_status_history (status, at);
    CREATE INDEX IF NOT EXISTS orders_by_created ON orders (created_at);
    CREATE INDEX IF NOT EXISTS stock_negative ON stock (site_id) WHERE qty < 0;
    """)
