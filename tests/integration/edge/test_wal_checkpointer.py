"""The WAL checkpointer copies the writer's WAL back into the database so the writer's own commits never do."""
import os
import sqlite3
import time

from edge.adapters.wal_checkpointer import WalCheckpointer
from sync.sqlite_store import connect


def test_the_writer_stops_checkpointing_and_the_checkpointer_copies_its_pages(tmp_path):
    path = str(tmp_path / "edge.db")
    writer = connect(path)
    checkpointer = WalCheckpointer(path, every=0.02)
    checkpointer.take_over(writer)
    assert writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    writer.execute("CREATE TABLE rows (n INTEGER PRIMARY KEY, text TEXT)")
    writer.execute("BEGIN IMMEDIATE")
    writer.executemany("INSERT INTO rows (text) VALUES (?)", [("x" * 500,) for _ in range(20_000)])
    writer.execute("COMMIT")  # ~2,500 pages: past SQLite's 1,000, yet the commit did not copy them back
    assert os.path.getsize(path) < 100_000  # nothing copied back so far: the pages are all in the WAL
    checkpointer.start()
    try:
        deadline = time.monotonic() + 10
        while checkpointer.checkpoints == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        checkpointer.stop()
    assert checkpointer.checkpoints >= 1 and checkpointer.frames > 1000
    assert os.path.getsize(path) > 1000 * 4096  # the pages are back in the database file
    writer.close()
    reader = sqlite3.connect(path)
    assert reader.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == 20_000
    reader.close()
