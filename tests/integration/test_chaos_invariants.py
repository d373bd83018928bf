"""The chaos run's invariant checks catch what they are there to catch: lost, duplicated, split events."""
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from deploy.chaos_invariants import SiteReport, check_commands, check_events
from sync.sqlite_store import OutgoingEvent, SqliteInboxStore, append_outbox, sync_migrations, write_transaction

SITE = "DC01"


class SiteFiles:
    """Stands in for the chaos cluster: only where the site's and the centre's databases are."""

    def __init__(self, tmp_path: Path):
        self.central_db = tmp_path / "central.db"
        self.lost_tails: dict[str, set[str]] = {SITE: set()}
        self._edge_db = tmp_path / f"edge-{SITE}.db"
        for path in (self.central_db, self._edge_db):
            sync_migrations.apply(Database(path))
        with sqlite3.connect(self._edge_db) as conn:
            conn.execute("CREATE TABLE ops (op_id TEXT PRIMARY KEY)")

    def edge_db(self, site: str) -> Path:
        return self._edge_db


@pytest.fixture
def files(tmp_path) -> SiteFiles:
    """Five site events (two handheld ops) committed at the site and applied at the centre."""
    files = SiteFiles(tmp_path)
    with write_transaction(str(files.edge_db(SITE))) as db:
        events = [OutgoingEvent("stock.changed", {"n": n}, op_id=("OP-A" if n < 2 else "OP-B" if n < 4 else None))
                  for n in range(5)]
        append_outbox(db, "up", events)
        db.execute("INSERT INTO ops VALUES ('OP-A'), ('OP-B')")
    rows = query(files.edge_db(SITE), "SELECT seq, event_id, type, occurred_at, recorded_at, device_id, op_id, data"
                                      " FROM sync_outbox ORDER BY seq")
    batch = [dict(zip(("seq", "event_id", "type", "occurred_at", "recorded_at", "device_id", "op_id"), row[:7]),
                  data={}) for row in rows]
    SqliteInboxStore(str(files.central_db)).apply_batch(SITE, 1, batch, lambda db, stream, event: None)
    return files


def query(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def change(path: Path, sql: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql)


def checked(files: SiteFiles) -> SiteReport:
    report = SiteReport(SITE)
    check_events(report, files)
    check_commands(report, files)
    return report


def test_a_clean_ledger_passes_every_check(files):
    report = checked(files)
    assert report.checks == {"every_event_exactly_once": True, "seqs_contiguous": True, "no_rejected_events": True,
                             "ops_map_to_events_once": True, "commands_exactly_once": True}
    assert report.counts["events"] == 5 and report.counts["lost"] == 0 and report.failures == []


def test_a_lost_event_breaks_exactly_once_contiguity_and_its_op(files):
    change(files.central_db, "DELETE FROM sync_inbox WHERE seq = 3")
    report = checked(files)
    assert report.counts["lost"] == 1
    assert {f["invariant"] for f in report.failures} == {"every_event_exactly_once", "seqs_contiguous",
                                                         "ops_map_to_events_once"}


def test_an_event_applied_twice_under_another_epoch_is_counted_as_duplicated(files):
    change(files.central_db, "INSERT INTO sync_inbox SELECT stream, 2, 1, event_id, type, occurred_at, recorded_at,"
                             " device_id, op_id, data, received_at, outcome, reason FROM sync_inbox WHERE seq = 1")
    report = checked(files)
    assert report.counts["duplicated"] == 1
    assert not report.checks["every_event_exactly_once"] and not report.checks["ops_map_to_events_once"]


def test_a_ledger_op_the_site_never_recorded_and_a_rejected_event_fail(files):
    change(files.central_db, "UPDATE sync_inbox SET op_id = 'OP-FORGED', outcome = 'rejected' WHERE seq = 5")
    report = checked(files)
    assert not report.checks["ops_map_to_events_once"] and "OP-FORGED" in report.details["ops_map_to_events_once"]
    assert not report.checks["no_rejected_events"]


def test_a_command_missing_at_the_site_fails_commands_exactly_once(files):
    with write_transaction(str(files.central_db)) as db:
        append_outbox(db, SITE, [OutgoingEvent("order.released", {"order_id": "SO-1"})])
    report = checked(files)
    assert report.checks["commands_exactly_once"] is False
    assert "centre queued 1, site holds 0" in report.details["commands_exactly_once"]


def test_events_a_restore_lost_may_stay_in_the_ledger_only_if_noted_as_its_lost_tail(files):
    (last_event,) = query(files.edge_db(SITE), "SELECT event_id FROM sync_outbox WHERE seq = 5")[0]
    change(files.edge_db(SITE), "DELETE FROM sync_outbox WHERE seq = 5")  # the backup lacked it
    report = checked(files)
    assert report.counts["phantom"] == 1 and not report.checks["every_event_exactly_once"]

    files.lost_tails[SITE].add(last_event)
    report = checked(files)
    assert report.failures == [] and report.counts["restore_tail_delivered"] == 1
