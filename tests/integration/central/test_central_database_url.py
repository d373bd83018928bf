"""A database URL picks the centre's database: a file or sqlite:/// URL for SQLite, postgresql:// for PostgreSQL."""
import io
import threading
import uuid
from pathlib import Path

import pytest

from central.__main__ import main
from central.adapters.hub_hooks import apply_event
from central.order_import_cli import run_import
from central_support import status, stock
from sync.sqlite_store import SqliteInboxStore, read_connection

SAMPLE = Path(__file__).resolve().parents[3] / "deploy" / "sample"


def count(url: str, table: str) -> int:
    with read_connection(url) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_seed_and_import_orders_work_on_the_configured_database(central_db, capsys):
    assert main(["seed", "--db", central_db, "--file", str(SAMPLE / "catalogue.json")]) == 0
    assert count(central_db, "sites") == 1 and count(central_db, "items") >= 5
    out = io.StringIO()
    assert run_import(central_db, str(SAMPLE / "orders.csv"), "ann", out=out, err=io.StringIO()) == 0
    assert "IMP-000001:" in out.getvalue() and count(central_db, "orders") >= 2
    with read_connection(central_db) as conn:
        (status,) = conn.execute("SELECT status FROM order_imports WHERE import_id = 'IMP-000001'").fetchone()
    assert status == "done"


def test_a_sqlite_url_names_the_same_file_as_its_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["seed", "--db", "sqlite:///central.db", "--file", str(SAMPLE / "catalogue.json")]) == 0
    assert (tmp_path / "central.db").exists() and count("central.db", "sites") == 1


def batch(first: int, last: int, occurred_at: str = "2025-03-03T10:00:00.000+00:00") -> list[dict]:
    return [{**stock("A-01-01", "SKU-BLUE-MUG", -1), "seq": seq, "occurred_at": occurred_at,
             "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"DC01/{seq}"))} for seq in range(first, last + 1)]


@pytest.mark.postgres_only
def test_the_ledger_is_keyed_with_the_day_and_partitioned_by_month(central_db):
    inbox = SqliteInboxStore(central_db)
    inbox.receive("DC01", 1, batch(1, 2, "2025-03-31T12:00:00.000+00:00"), apply_event)
    # 23:30 at UTC-2 is already the 1st of April in UTC: the event goes to April's partition
    inbox.receive("DC01", 1, batch(3, 3, "2025-03-31T23:30:00.000-02:00"), apply_event)
    with read_connection(central_db) as conn:
        rows = conn.execute("SELECT seq, occurred_on::text, tableoid::regclass::text FROM sync_inbox"
                            " ORDER BY seq").fetchall()
        key = conn.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                           " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'sync_inbox'::regclass"
                           " AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)").fetchall()
        (strategy,) = conn.execute("SELECT partstrat FROM pg_partitioned_table"
                                   " WHERE partrelid = 'sync_inbox'::regclass").fetchone()
    assert [tuple(r) for r in rows] == [(1, "2025-03-31", "sync_inbox_y2025m03"),
                                       (2, "2025-03-31", "sync_inbox_y2025m03"),
                                       (3, "2025-04-01", "sync_inbox_y2025m04")]
    assert [r[0] for r in key] == ["stream", "epoch", "seq", "occurred_on"] and strategy == "r"


@pytest.mark.postgres_only
def test_one_sites_batches_take_turns_and_apply_once_while_other_sites_go_on(central_db):
    """Two ingest threads get the same batch at once: the cursor row lock lets only one apply it."""
    inbox = SqliteInboxStore(central_db)
    for site in ("DC01", "DC02"):  # the cursor rows exist: nothing but their lock can make the ingests wait
        inbox.receive(site, 1, batch(1, 1), apply_event)
    events = batch(2, 20)
    start = threading.Barrier(3)
    results = []

    def ingest(site: str) -> None:
        start.wait()
        results.append((site, inbox.receive(site, 1, events, apply_event).hwm))

    threads = [threading.Thread(target=ingest, args=(site,)) for site in ("DC01", "DC01", "DC02")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with read_connection(central_db) as conn:
        qty = dict(conn.execute("SELECT site_id, qty FROM stock WHERE sku = 'SKU-BLUE-MUG'").fetchall())
        ledger = dict(conn.execute("SELECT stream, COUNT(*) FROM sync_inbox GROUP BY stream").fetchall())
    assert sorted(results) == [("DC01", 20), ("DC01", 20), ("DC02", 20)]
    assert qty == {"DC01": -20, "DC02": -20} and ledger == {"DC01": 20, "DC02": 20}


@pytest.mark.postgres_only
def test_an_ingest_holds_the_shared_writer_lock_for_every_event_even_after_a_rejected_one(central_db):
    """A rejected event rolls the batch's savepoint back, which frees the lock; the redo must take it again."""
    held = []

    def apply_and_look(db, site, event):
        apply_event(db, site, event)
        (locks,) = db.execute("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND mode = 'ShareLock'"
                              " AND pid = pg_backend_pid()").fetchone()
        held.append((event["seq"], locks))

    events = [dict(event, seq=seq) for seq, event in enumerate(
        [stock("A-01-01", "SKU-BLUE-MUG", 2), status("SO-999999", "shipped"), stock("A-01-01", "SKU-BLUE-MUG", 3)],
        start=1)]
    SqliteInboxStore(central_db).receive("DC01", 1, events, apply_and_look)
    with read_connection(central_db) as conn:
        outcomes = [tuple(r) for r in conn.execute("SELECT seq, outcome FROM sync_inbox ORDER BY seq")]
        (qty,) = conn.execute("SELECT qty FROM stock WHERE site_id = 'DC01'").fetchone()
    assert outcomes == [(1, "applied"), (2, "rejected"), (3, "applied")] and qty == 5
    assert held[-2:] == [(1, 1), (3, 1)]  # the redo, event by event: each one under the lock
