"""The WAL file does not keep the size of the busiest moment: after a complete checkpoint it is cut back."""
import os

from sync.sqlite_connections import WAL_SIZE_LIMIT, connect


def test_a_grown_wal_is_cut_back_to_the_limit_after_a_checkpoint(tmp_path):
    path = str(tmp_path / "site.db")
    conn = connect(path)
    try:
        conn.execute("PRAGMA wal_autocheckpoint=0")  # as the command writer's connection: checkpoints run apart
        conn.execute("CREATE TABLE picks (data BLOB)")
        blob = os.urandom(1 << 20)
        for _ in range(WAL_SIZE_LIMIT // len(blob) + 8):  # a bulk load: the WAL grows past the limit
            conn.execute("INSERT INTO picks VALUES (?)", [blob])
        grown = os.path.getsize(path + "-wal")
        assert grown > WAL_SIZE_LIMIT
        busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0 and copied == frames
        conn.execute("INSERT INTO picks VALUES (x'00')")  # the next write starts the WAL over
        assert os.path.getsize(path + "-wal") <= WAL_SIZE_LIMIT
        assert conn.execute("SELECT count(*) FROM picks").fetchone()[0] == WAL_SIZE_LIMIT // len(blob) + 9
    finally:
        conn.close()
