"""Savepoint journals stay in memory, and rolling back to a savepoint still undoes every page it changed."""
from sync.sqlite_store import connect


def test_a_savepoint_journal_past_the_spill_size_is_kept_in_memory_and_rolls_back(tmp_path):
    conn = connect(str(tmp_path / "site.db"))
    try:
        assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
        conn.execute("CREATE TABLE picks (op_id TEXT PRIMARY KEY, note TEXT NOT NULL)")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO picks VALUES ('OP-KEPT', 'kept')")
        conn.execute("SAVEPOINT uow")
        # ~400 KiB of new pages: far past the 64 KiB at which SQLite would spill the journal to a file.
        conn.executemany("INSERT INTO picks VALUES (?, ?)", [(f"OP-{n:05d}", "x" * 200) for n in range(2000)])
        conn.execute("UPDATE picks SET note = 'changed' WHERE op_id = 'OP-KEPT'")
        conn.execute("ROLLBACK TO uow")
        conn.execute("RELEASE uow")
        conn.execute("COMMIT")
        assert [tuple(row) for row in conn.execute("SELECT op_id, note FROM picks")] == [("OP-KEPT", "kept")]
    finally:
        conn.close()
