"""The edge database schema, applied idempotently at startup."""
from sqlite_utils import Database, Migrations

from sync.sqlite_store import sync_migrations, write_transaction

edge_migrations = Migrations("edge")


@edge_migrations()
def m001_edge_tables(db: Database) -> None:
    db.executescript("""
    CREATE TABLE site_meta (id INTEGER PRIMARY KEY CHECK (id = 1), site_id TEXT NOT NULL);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE locations (
        location TEXT PRIMARY KEY, barcode TEXT NOT NULL UNIQUE, zone TEXT NOT NULL DEFAULT '',
        pick_seq INTEGER NOT NULL);
    CREATE TABLE items (sku TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '', gtins TEXT NOT NULL DEFAULT '[]');
    CREATE TABLE pickers (badge TEXT PRIMARY KEY, name TEXT NOT NULL, pin_hash TEXT NOT NULL);
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY, badge TEXT NOT NULL REFERENCES pickers (badge), device_id TEXT NOT NULL,
        created_at TEXT NOT NULL);
    CREATE TABLE orders (
        order_id TEXT PRIMARY KEY, customer TEXT NOT NULL, priority INTEGER NOT NULL,
        requested_ship_date TEXT NOT NULL, status TEXT NOT NULL, released_at TEXT, shipped_at TEXT,
        cmd_event_id TEXT);
    CREATE INDEX orders_status ON orders (status);
    CREATE TABLE order_lines (
        order_id TEXT NOT NULL REFERENCES orders (order_id), line_no INTEGER NOT NULL, sku TEXT NOT NULL,
        qty INTEGER NOT NULL, PRIMARY KEY (order_id, line_no));
    CREATE TABLE tasks (
        task_id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders (order_id), line_no INTEGER NOT NULL,
        sku TEXT NOT NULL, location TEXT NOT NULL, qty INTEGER NOT NULL, picked_qty INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL, picker TEXT, device_id TEXT, pick_seq INTEGER NOT NULL DEFAULT 0,
        short_reason TEXT NOT NULL DEFAULT '');
    CREATE INDEX tasks_order ON tasks (order_id);
    CREATE INDEX tasks_status ON tasks (status, pick_seq);
    CREATE INDEX tasks_picker ON tasks (picker, status);
    CREATE INDEX tasks_reserving ON tasks (sku, location, status);
    CREATE TABLE stock (
        location TEXT NOT NULL, sku TEXT NOT NULL, lot TEXT NOT NULL DEFAULT '', qty INTEGER NOT NULL,
        PRIMARY KEY (location, sku, lot));
    CREATE INDEX stock_sku ON stock (sku);
    CREATE TABLE cartons (
        carton_id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders (order_id), closed_at TEXT NOT NULL,
        lines TEXT NOT NULL);
    CREATE INDEX cartons_order ON cartons (order_id);
    CREATE TABLE ops (
        op_id TEXT PRIMARY KEY, badge TEXT NOT NULL, device_id TEXT NOT NULL, endpoint TEXT NOT NULL,
        request_hash TEXT NOT NULL, status_code INTEGER NOT NULL, response TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE INDEX ops_endpoint ON ops (endpoint, status_code);
    CREATE TABLE scan_errors (
        id INTEGER PRIMARY KEY, task_id TEXT NOT NULL, step TEXT NOT NULL, expected TEXT NOT NULL,
        scanned TEXT NOT NULL, badge TEXT NOT NULL, device_id TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX scan_errors_task ON scan_errors (task_id);
    """)


@edge_migrations()
def m002_devices_and_leases(db: Database) -> None:
    db.executescript("""
    CREATE TABLE enrolment_codes (
        code_hash TEXT PRIMARY KEY, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT,
        used_by TEXT);
    CREATE TABLE devices (
        device_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, enrolled_at TEXT NOT NULL, revoked_at TEXT);
    ALTER TABLE tasks ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE tasks ADD COLUMN lease_expires_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE tasks ADD COLUMN postponed_by TEXT NOT NULL DEFAULT '';
    """)


@edge_migrations()
def m003_item_tracking_and_carton_sscc(db: Database) -> None:
    db.executescript("""
    ALTER TABLE items ADD COLUMN tracking TEXT NOT NULL DEFAULT 'none';
    ALTER TABLE cartons ADD COLUMN sscc TEXT NOT NULL DEFAULT '';
    """)


@edge_migrations()
def m004_order_dock_door(db: Database) -> None:
    db.execute("ALTER TABLE orders ADD COLUMN dock_door TEXT NOT NULL DEFAULT ''")


@edge_migrations()
def m005_staff_and_audit(db: Database) -> None:
    db.executescript("""
    CREATE TABLE staff (
        username TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, last_login_at TEXT NOT NULL DEFAULT '',
        failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TEXT NOT NULL DEFAULT '');
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}');
    CREATE INDEX audit_log_subject ON audit_log (subject, id);
    CREATE TABLE site_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    """)


@edge_migrations()
def m006_dashboard(db: Database) -> None:
    # The lead's resolution of each exception (one per exception), and indexes the dashboard's reads need.
    db.executescript("""
    CREATE TABLE exception_resolutions (
        kind TEXT NOT NULL, ref TEXT NOT NULL, action TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL,
        reason TEXT NOT NULL, PRIMARY KEY (kind, ref));
    CREATE INDEX ops_badge ON ops (badge, created_at);
    CREATE INDEX ops_device ON ops (device_id, created_at);
    CREATE INDEX scan_errors_badge ON scan_errors (badge, task_id);
    CREATE INDEX sync_outbox_type ON sync_outbox (type, occurred_at);
    CREATE INDEX sessions_badge ON sessions (badge, created_at);
    CREATE INDEX orders_released ON orders (released_at);
    CREATE INDEX tasks_live ON tasks (status, location, qty, picked_qty);
    """)


@edge_migrations()
def m007_receiving_and_putaway(db: Database) -> None:
    db.executescript("""
    CREATE TABLE receipts (
        receipt_id TEXT PRIMARY KEY, asn_id TEXT NOT NULL DEFAULT '', supplier TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL, over_tolerance_pct INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
        closed_at TEXT NOT NULL DEFAULT '');
    CREATE INDEX receipts_status ON receipts (status, receipt_id);
    CREATE TABLE receipt_expected (
        receipt_id TEXT NOT NULL REFERENCES receipts (receipt_id), line_no INTEGER NOT NULL, sku TEXT NOT NULL,
        qty INTEGER NOT NULL, lot TEXT NOT NULL DEFAULT '', expiry TEXT NOT NULL DEFAULT '',
        sscc TEXT NOT NULL DEFAULT '', PRIMARY KEY (receipt_id, line_no));
    CREATE TABLE receipt_received (
        receipt_id TEXT NOT NULL REFERENCES receipts (receipt_id), n INTEGER NOT NULL, sku TEXT NOT NULL,
        qty INTEGER NOT NULL, lot TEXT NOT NULL DEFAULT '', expiry TEXT NOT NULL DEFAULT '', condition TEXT NOT NULL,
        sscc TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '', picker TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (receipt_id, n));
    CREATE TABLE putaway_tasks (
        task_id TEXT PRIMARY KEY, receipt_id TEXT NOT NULL REFERENCES receipts (receipt_id), sku TEXT NOT NULL,
        lot TEXT NOT NULL DEFAULT '', expiry TEXT NOT NULL DEFAULT '', qty INTEGER NOT NULL,
        suggested TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, location TEXT NOT NULL DEFAULT '',
        override_reason TEXT NOT NULL DEFAULT '', picker TEXT NOT NULL DEFAULT '', done_at TEXT NOT NULL DEFAULT '');
    CREATE INDEX putaway_tasks_status ON putaway_tasks (status, task_id);
    CREATE TABLE lots (sku TEXT NOT NULL, lot TEXT NOT NULL, expiry TEXT NOT NULL, PRIMARY KEY (sku, lot));
    -- a separate table, so re-seeding locations (INSERT OR REPLACE) keeps their capacity
    CREATE TABLE location_capacity (location TEXT PRIMARY KEY, capacity INTEGER NOT NULL);
    CREATE TABLE receiving_exceptions (
        id INTEGER PRIMARY KEY, receipt_id TEXT NOT NULL, asn_id TEXT NOT NULL DEFAULT '', sku TEXT NOT NULL,
        expected INTEGER NOT NULL, received INTEGER NOT NULL, kind TEXT NOT NULL, recorded_at TEXT NOT NULL,
        resolved_at TEXT NOT NULL DEFAULT '');
    CREATE INDEX receiving_exceptions_open ON receiving_exceptions (resolved_at, id);
    """)


@edge_migrations()
def m008_counts_and_replenishment(db: Database) -> None:
    # Cycle counts (lines hold the expected snapshot and the counted quantities as JSON), min/max per pick face,
    # replenishment tasks, and the site's count thresholds (one row).
    db.executescript("""
    CREATE TABLE count_tasks (
        count_id TEXT PRIMARY KEY, location TEXT NOT NULL, origin TEXT NOT NULL, status TEXT NOT NULL,
        parent_id TEXT NOT NULL DEFAULT '', excluded_badge TEXT NOT NULL DEFAULT '', picker TEXT, device_id TEXT,
        lease_epoch INTEGER NOT NULL DEFAULT 0, counted_by TEXT NOT NULL DEFAULT '',
        counted_at TEXT NOT NULL DEFAULT '', lines TEXT NOT NULL DEFAULT '[]', decided_by TEXT NOT NULL DEFAULT '',
        decided_at TEXT NOT NULL DEFAULT '', decision_reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT '');
    CREATE INDEX count_tasks_location ON count_tasks (location, status);
    CREATE INDEX count_tasks_status ON count_tasks (status, created_at);
    CREATE TABLE count_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1), recount_units INTEGER NOT NULL, recount_pct REAL NOT NULL,
        approval_units INTEGER NOT NULL, approval_pct REAL NOT NULL);
    CREATE TABLE pick_faces (
        location TEXT NOT NULL, sku TEXT NOT NULL, min_qty INTEGER NOT NULL, max_qty INTEGER NOT NULL,
        PRIMARY KEY (location, sku));
    CREATE TABLE replenishments (
        replen_id TEXT PRIMARY KEY, sku TEXT NOT NULL, from_location TEXT NOT NULL, lot TEXT NOT NULL DEFAULT '',
        to_location TEXT NOT NULL, qty INTEGER NOT NULL, trigger TEXT NOT NULL, status TEXT NOT NULL,
        picker TEXT, device_id TEXT, lease_epoch INTEGER NOT NULL DEFAULT 0, moved_qty INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT '', done_at TEXT NOT NULL DEFAULT '');
    CREATE INDEX replenishments_face ON replenishments (to_location, sku, status);
    CREATE INDEX replenishments_status ON replenishments (status, created_at);
    """)



@edge_migrations()
def m009_refused_ops(db: Database) -> None:
    # Handheld ops refused because the world moved on while the device was offline (lease lost, task or order
    # closed, another picker's task), kept so the lead hears of them. One row per op_id: a replay adds nothing.
    db.executescript("""
    CREATE TABLE refused_ops (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, op_id TEXT NOT NULL UNIQUE, badge TEXT NOT NULL,
        device_id TEXT NOT NULL, endpoint TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL,
        task_id TEXT NOT NULL DEFAULT '', order_id TEXT NOT NULL DEFAULT '', occurred_at TEXT NOT NULL DEFAULT '',
        request TEXT NOT NULL DEFAULT '{}');
    CREATE INDEX refused_ops_at ON refused_ops (at);
    """)

@edge_migrations()
def m010_returns_and_put_backs(db: Database) -> None:
    # Putaway tasks also carry returned goods (from RECV) and put-backs of cancelled orders' picks (from PACK),
    # so a task names where the goods wait and no longer has to belong to a receipt.
    db["putaway_tasks"].transform(drop_foreign_keys=["receipt_id"])
    db.executescript("""
    ALTER TABLE putaway_tasks ADD COLUMN from_location TEXT NOT NULL DEFAULT 'RECV';
    ALTER TABLE putaway_tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'putaway';
    CREATE INDEX putaway_tasks_ref ON putaway_tasks (receipt_id, kind);
    CREATE TABLE customer_returns (
        return_id TEXT PRIMARY KEY, rma_id TEXT NOT NULL DEFAULT '', order_id TEXT NOT NULL, customer TEXT NOT NULL
        DEFAULT '', status TEXT NOT NULL, expected TEXT NOT NULL DEFAULT '[]', lines TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL, closed_at TEXT NOT NULL DEFAULT '');
    CREATE INDEX customer_returns_order ON customer_returns (order_id);
    CREATE INDEX customer_returns_status ON customer_returns (status, created_at);
    CREATE TABLE return_exceptions (
        id INTEGER PRIMARY KEY, return_id TEXT NOT NULL, order_id TEXT NOT NULL, sku TEXT NOT NULL,
        expected INTEGER NOT NULL, returned INTEGER NOT NULL, kind TEXT NOT NULL, recorded_at TEXT NOT NULL);
    """)


@edge_migrations()
def m011_lots_and_verification(db: Database) -> None:
    # The lot each pick task was allocated (FEFO); the site's lot rules; verification profiles per site, zone and
    # item class with the items' classes; and a token that changes with any of them, so readers cache by it.
    db.executescript("""
    ALTER TABLE tasks ADD COLUMN lot TEXT NOT NULL DEFAULT '';
    CREATE TABLE lot_policy (
        id INTEGER PRIMARY KEY CHECK (id = 1), substitution TEXT NOT NULL, timezone TEXT NOT NULL);
    CREATE TABLE verification_profiles (
        scope TEXT NOT NULL, name TEXT NOT NULL, requires TEXT NOT NULL, updated_by TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL DEFAULT '', PRIMARY KEY (scope, name));
    CREATE TABLE item_classes (sku TEXT PRIMARY KEY, item_class TEXT NOT NULL);
    CREATE TABLE verification_version (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL);
    """)


@edge_migrations()
def m012_waves_and_batches(db: Database) -> None:
    # Waves of orders released together, cut into pick batches of one cart; each slot of a batch is one order and
    # the tote it is picked into (bound on the slot's first pick). Tasks of an order in a live batch wait for it.
    db.executescript("""
    CREATE TABLE waves (
        wave_id TEXT PRIMARY KEY, rule TEXT NOT NULL, cart_slots INTEGER NOT NULL, released_by TEXT NOT NULL,
        released_at TEXT NOT NULL);
    CREATE TABLE batches (
        batch_id TEXT PRIMARY KEY, wave_id TEXT NOT NULL REFERENCES waves (wave_id), status TEXT NOT NULL,
        picker TEXT, device_id TEXT, created_at TEXT NOT NULL, claimed_at TEXT NOT NULL DEFAULT '',
        closed_at TEXT NOT NULL DEFAULT '');
    CREATE INDEX batches_status ON batches (status, batch_id);
    CREATE INDEX batches_wave ON batches (wave_id);
    CREATE TABLE batch_slots (
        batch_id TEXT NOT NULL REFERENCES batches (batch_id), slot INTEGER NOT NULL, order_id TEXT NOT NULL,
        tote TEXT NOT NULL DEFAULT '', PRIMARY KEY (batch_id, slot));
    CREATE INDEX batch_slots_order ON batch_slots (order_id);
    CREATE INDEX batch_slots_tote ON batch_slots (tote) WHERE tote != '';
    """)


@edge_migrations()
def m013_orders_dispatch_index(db: Database) -> None:
    # The next-task rule walks orders by urgency (priority, ship date, order id) and stops at the first open task;
    # without this index every call sorted all open tasks (~20 ms with 12,000 open, inside the write lock).
    db.execute("CREATE INDEX IF NOT EXISTS orders_dispatch ON orders (priority, requested_ship_date, order_id)")


@edge_migrations()
def m014_auth_version(db: Database) -> None:
    # A token that changes, in the same transaction, whenever a device, session or picker changes in any process:
    # the per-process cache of token lookups (auth_cache.py) reads it per request and drops itself when it moves.
    # Random rather than counted, so a database restored to an older state never shows a token already seen.
    triggers = "".join(
        f"CREATE TRIGGER auth_version_{table}_{action} AFTER {action} ON {table}"
        " BEGIN UPDATE auth_version SET token = random() WHERE id = 1; END;\n"
        for table in ("devices", "sessions", "pickers") for action in ("insert", "update", "delete"))
    db.executescript(f"""
    CREATE TABLE auth_version (id INTEGER PRIMARY KEY CHECK (id = 1), token INTEGER NOT NULL);
    INSERT INTO auth_version (id, token) VALUES (1, random());
    {triggers}""")


class WrongSite(RuntimeError):
    """Raise when a database made for one site is opened for another."""


def init_database(db_path: str, site_id: str) -> None:
    """Apply the sync and edge migrations and stamp the database with its site; refuse another site's database."""
    with write_transaction(db_path) as db:
        sync_migrations.apply(db)
        edge_migrations.apply(db)
        row = db.execute("SELECT site_id FROM site_meta WHERE id = 1").fetchone()
        if row is None:
            db.execute("INSERT INTO site_meta (id, site_id) VALUES (1, ?)", [site_id])
        elif row[0] != site_id:
            raise WrongSite(f"{db_path} belongs to site {row[0]}, not {site_id}")
