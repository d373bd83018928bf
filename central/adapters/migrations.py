"""Schema of the centre's database (sqlite_utils.Migrations "central"), plus the sync tables."""
from sqlite_utils import Database, Migrations

from sync.sqlite_store import connect, sync_migrations

from .ops_indexes import ops_migrations

central_migrations = Migrations("central")


@central_migrations()
def m001_central_tables(db: Database) -> None:
    db.executescript("""
    CREATE TABLE sites (
        site_id TEXT PRIMARY KEY, name TEXT NOT NULL, online INTEGER NOT NULL DEFAULT 0,
        last_state TEXT, last_seen_at TEXT);
    CREATE TABLE items (
        sku TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '', gtins TEXT NOT NULL DEFAULT '[]');
    CREATE TABLE locations (
        site_id TEXT NOT NULL, location TEXT NOT NULL, barcode TEXT NOT NULL, zone TEXT NOT NULL DEFAULT '',
        pick_seq INTEGER NOT NULL, PRIMARY KEY (site_id, location));
    CREATE TABLE stock (
        site_id TEXT NOT NULL, location TEXT NOT NULL, sku TEXT NOT NULL, lot TEXT NOT NULL DEFAULT '',
        qty INTEGER NOT NULL, PRIMARY KEY (site_id, location, sku, lot));
    -- allocation sums stock per sku over every site
    CREATE INDEX stock_by_sku ON stock (sku, site_id);
    CREATE TABLE orders (
        order_id TEXT PRIMARY KEY, external_ref TEXT UNIQUE, customer TEXT NOT NULL,
        priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 9), requested_ship_date TEXT NOT NULL,
        status TEXT NOT NULL, site_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '');
    CREATE INDEX orders_by_status ON orders (status, priority, requested_ship_date);
    CREATE INDEX orders_by_site ON orders (site_id, status);
    CREATE TABLE order_lines (
        order_id TEXT NOT NULL REFERENCES orders (order_id), line_no INTEGER NOT NULL, sku TEXT NOT NULL,
        qty INTEGER NOT NULL CHECK (qty >= 1), picked_qty INTEGER NOT NULL DEFAULT 0,
        short_qty INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (order_id, line_no));
    CREATE INDEX order_lines_by_sku ON order_lines (sku);
    CREATE TABLE order_status_history (
        id INTEGER PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders (order_id), status TEXT NOT NULL,
        at TEXT NOT NULL, source TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');
    CREATE INDEX order_status_history_by_order ON order_status_history (order_id, id);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    """)


@central_migrations()
def m002_item_tracking(db: Database) -> None:
    db.execute("ALTER TABLE items ADD COLUMN tracking TEXT NOT NULL DEFAULT 'none'")


@central_migrations()
def m003_orchestration(db: Database) -> None:
    db.executescript("""
    ALTER TABLE orders ADD COLUMN allow_split INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE orders ADD COLUMN parent_order_id TEXT;
    ALTER TABLE orders ADD COLUMN kind TEXT NOT NULL DEFAULT 'customer';
    ALTER TABLE orders ADD COLUMN ship_to_site TEXT;
    ALTER TABLE orders ADD COLUMN transfer_received_at TEXT;
    CREATE INDEX orders_by_parent ON orders (parent_order_id) WHERE parent_order_id IS NOT NULL;
    CREATE INDEX orders_in_transit ON orders (ship_to_site, status) WHERE kind = 'transfer';
    ALTER TABLE order_status_history ADD COLUMN actor TEXT NOT NULL DEFAULT '';
    CREATE TABLE order_imports (
        import_id TEXT PRIMARY KEY, file_name TEXT NOT NULL, operator TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
        rows_total INTEGER NOT NULL, rows_done INTEGER NOT NULL DEFAULT 0,
        orders_total INTEGER NOT NULL, orders_imported INTEGER NOT NULL DEFAULT 0,
        orders_refused INTEGER NOT NULL DEFAULT 0, order_ids TEXT NOT NULL DEFAULT '[]');
    CREATE TABLE order_import_errors (
        import_id TEXT NOT NULL REFERENCES order_imports (import_id), row INTEGER NOT NULL,
        external_order_id TEXT NOT NULL DEFAULT '', field TEXT NOT NULL DEFAULT '', message TEXT NOT NULL);
    CREATE INDEX order_import_errors_by_import ON order_import_errors (import_id, row);
    CREATE TABLE site_snapshots (
        snapshot_id INTEGER PRIMARY KEY, site_id TEXT NOT NULL, taken_at TEXT NOT NULL,
        received_at TEXT NOT NULL, rows TEXT NOT NULL);
    CREATE INDEX site_snapshots_by_site ON site_snapshots (site_id, snapshot_id);
    """)


@central_migrations()
def m004_asns_and_receipts(db: Database) -> None:
    db.executescript("""
    CREATE TABLE asns (
        asn_id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites (site_id), supplier TEXT NOT NULL,
        over_tolerance_pct INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, receipt TEXT NOT NULL DEFAULT '{}');
    CREATE INDEX asns_by_site ON asns (site_id, created_at);
    CREATE TABLE asn_lines (
        asn_id TEXT NOT NULL REFERENCES asns (asn_id), line_no INTEGER NOT NULL, sku TEXT NOT NULL,
        qty INTEGER NOT NULL, lot TEXT NOT NULL DEFAULT '', expiry TEXT NOT NULL DEFAULT '',
        sscc TEXT NOT NULL DEFAULT '', PRIMARY KEY (asn_id, line_no));
    CREATE TABLE blind_receipts (
        site_id TEXT NOT NULL, receipt_id TEXT NOT NULL, receipt TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (site_id, receipt_id));
    """)


@central_migrations()
def m005_backorder_links(db: Database) -> None:
    # a back-order part remembers the short it fills, so the site's own recovery can take it back
    db.executescript("""
    ALTER TABLE orders ADD COLUMN backorder_of TEXT;
    ALTER TABLE orders ADD COLUMN backorder_task TEXT;
    ALTER TABLE orders ADD COLUMN backorder_recovered INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX orders_by_backorder ON orders (backorder_of, backorder_task) WHERE backorder_of IS NOT NULL;
    """)


@central_migrations()
def m006_order_returns(db: Database) -> None:
    # customer returns: RMAs announced here and returns sites report (announced or not), against shipped orders
    db.executescript("""
    CREATE TABLE order_returns (
        return_id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders (order_id), site_id TEXT NOT NULL,
        rma_id TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
        expected TEXT NOT NULL DEFAULT '[]', received TEXT NOT NULL DEFAULT '[]', picker TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE INDEX order_returns_by_order ON order_returns (order_id, created_at);
    """)


def migrate(db_path: str) -> None:
    """Bring the database up to date (sync tables and central tables); safe to run every start."""
    conn = connect(db_path)
    try:
        db = Database(conn)
        sync_migrations.apply(db)
        central_migrations.apply(db)
        ops_migrations.apply(db)
    finally:
        conn.close()
