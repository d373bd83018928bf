"""Migrating an existing outbox to (stream, epoch, seq) keys keeps every row and its stream's epoch."""
from sqlite_utils import Database

from sync.sqlite_store import OutgoingEvent, SqliteOutboxStore, append_outbox, connect, sync_migrations


def test_existing_rows_keep_their_seqs_under_their_streams_epoch(tmp_path):
    path = str(tmp_path / "edge.db")
    db = Database(connect(path))
    sync_migrations.apply(db, stop_before="m003_outbox_epochs")
    db.execute("INSERT INTO sync_outbox_cursor (stream, epoch, acked_through) VALUES ('up', 4, 1)")
    for seq in (1, 2):
        db.execute("INSERT INTO sync_outbox (stream, seq, event_id, type, occurred_at, recorded_at, data)"
                   " VALUES ('up', ?, ?, 'stock.changed', '2026-11-25T07:00', '2026-11-25T07:00', '{}')",
                   [seq, f"E-{seq}"])
    sync_migrations.apply(db)
    sync_migrations.apply(db)  # idempotent
    rows = [tuple(r) for r in db.execute("SELECT epoch, seq, event_id FROM sync_outbox ORDER BY seq")]
    assert rows == [(4, 1, "E-1"), (4, 2, "E-2")]
    db.conn.execute("BEGIN IMMEDIATE")
    assert append_outbox(db, "up", [OutgoingEvent("stock.changed", {})]) == [3]
    db.conn.execute("COMMIT")
    store = SqliteOutboxStore(path, "up")
    assert (store.epoch(), store.last_seq(), store.depth()) == (4, 3, 2)
