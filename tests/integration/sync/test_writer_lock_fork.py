"""The writer lock still queues processes forked after their parent used it (gunicorn workers are forks)."""
import os
import time

from sync.sqlite_connections import writer_lock


def test_a_forked_child_waits_for_the_writer_lock_its_parent_holds(tmp_path):
    db_path, order = str(tmp_path / "edge.db"), tmp_path / "order.txt"
    with writer_lock(db_path):  # the parent opened the lock file before forking, as the server's arbiter does
        pass
    with writer_lock(db_path):
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            try:
                with writer_lock(db_path):
                    with open(order, "a") as out:
                        out.write("child\n")
            finally:
                os._exit(0)
        time.sleep(0.3)  # give the child every chance to take the lock if it wrongly could
        with open(order, "a") as out:
            out.write("parent\n")
    os.waitpid(child, 0)
    assert order.read_text().split() == ["parent", "child"]
