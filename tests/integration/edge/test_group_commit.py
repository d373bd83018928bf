"""Group commit: waiting writes share one transaction, each all-or-nothing, each answered after the commit."""
import sqlite3
import threading
import time

import pytest

from edge.adapters.group_commit import GroupCommit
from sync.sqlite_store import connect, writer_lock


@pytest.fixture
def db_path(tmp_path):
    path = str(tmp_path / "edge.db")
    conn = connect(path)
    conn.execute("CREATE TABLE picks (op_id TEXT PRIMARY KEY, qty INTEGER NOT NULL)")
    conn.close()
    return path


def picks(db_path) -> dict:
    conn = sqlite3.connect(db_path)
    try:
        return dict(conn.execute("SELECT op_id, qty FROM picks"))
    finally:
        conn.close()


def insert(op_id: str, qty: int, fail: bool = False):
    def job(db):
        with_savepoint = db.conn.execute  # the job owns its savepoint, as SqliteUnitOfWork(savepoint=True) does
        with_savepoint("SAVEPOINT uow")
        try:
            seen = db.execute("SELECT qty FROM picks WHERE op_id = ?", [op_id]).fetchone()
            if seen is None:
                db.execute("INSERT INTO picks (op_id, qty) VALUES (?, ?)", [op_id, qty])
            if fail:
                raise ValueError(f"{op_id} refused")
            with_savepoint("RELEASE uow")
        except Exception:
            with_savepoint("ROLLBACK TO uow")
            with_savepoint("RELEASE uow")
            raise
        return "replayed" if seen else "applied"
    return job


def run_queued(group: GroupCommit, db_path: str, jobs: list) -> list:
    """Start every job while the writer lock is held elsewhere, so they queue, then let them through."""
    answers: list = [None] * len(jobs)

    def call(i, job):
        try:
            answers[i] = group.run(job)
        except Exception as err:  # noqa: BLE001 - the test looks at what each caller got
            answers[i] = err

    threads = [threading.Thread(target=call, args=(i, job)) for i, job in enumerate(jobs)]
    with writer_lock(db_path):
        for thread in threads:
            thread.start()
        time.sleep(0.3)  # let them all queue behind the lock (a wait, not a timing assertion)
    for thread in threads:
        thread.join()
    return answers


def test_queued_writes_share_commits_and_each_is_answered_after_it(db_path):
    commits = []
    group = GroupCommit(db_path, on_commit=lambda: commits.append(len(picks(db_path))))
    answers = run_queued(group, db_path, [insert(f"OP-{n}", n) for n in range(12)])
    assert answers == ["applied"] * 12
    assert picks(db_path) == {f"OP-{n}": n for n in range(12)}
    assert len(commits) < 12  # fewer commits than writes: they were grouped
    assert commits[-1] == 12  # and nothing was answered before its commit was on disk


def test_a_failing_write_is_undone_alone_and_a_replay_in_the_same_batch_applies_once(db_path):
    group = GroupCommit(db_path)
    answers = run_queued(group, db_path, [insert("OP-1", 1), insert("OP-2", 2, fail=True), insert("OP-1", 1),
                                          insert("OP-3", 3)])
    assert isinstance(answers[1], ValueError) and str(answers[1]) == "OP-2 refused"
    assert sorted(a for a in answers if isinstance(a, str)) == ["applied", "applied", "replayed"]
    assert picks(db_path) == {"OP-1": 1, "OP-3": 3}


def test_a_failed_commit_reaches_every_caller_and_keeps_nothing(db_path):
    def corrupt(db):
        db.execute("INSERT INTO picks (op_id, qty) VALUES ('OP-9', 9)")
        db.conn.execute("ROLLBACK")  # the transaction is gone: COMMIT must fail for the whole batch

    group = GroupCommit(db_path)
    answers = run_queued(group, db_path, [insert("OP-1", 1), corrupt])
    assert all(isinstance(a, sqlite3.OperationalError) for a in answers)
    assert picks(db_path) == {}
