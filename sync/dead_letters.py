"""Review dead letters: list, show, replay through the same decode → validate → apply path, or discard.

Two kinds can be replayed. A rejected *event* (topic `<stream>#<epoch>:<seq>`) already has its ledger
row with outcome `rejected`: replay applies its effects and flips that row to `applied` in one
transaction, and refuses when the row is not `rejected` any more, so effects land exactly once. A whole
*batch* (undecodable, or claiming another site) is decoded and checked again and then fed to the inbox,
which dedupes on (stream, epoch, seq). Presence and ack messages are never replayed: peers send fresh ones.
"""
import json
import re
from dataclasses import dataclass

from protocols.messages.envelope import BatchV1Schema, MessageError, decode

from . import topics
from .ports import ApplyFn
from .sqlite_store import SqliteInboxStore, read_connection, utc_now, write_transaction

STATUSES = ("open", "replayed", "discarded")
EVENT_TOPIC = re.compile(r"^(?P<stream>[^#]+)#(?P<epoch>\d+):(?P<seq>\d+)$")
BATCH_CHANNELS = ("up/events", "down/cmd")
MAX_ID = 2 ** 63 - 1
SUMMARY = "id, topic, reason, received_at, status, attempts, resolved_at, resolved_by"


class DeadLetterRefused(Exception):
    """Raise when a dead letter cannot be acted on; carries a machine code and operator text."""

    def __init__(self, code: str, message: str, status: int = 409):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def kind_of(topic: str) -> str:
    """Say what a dead letter holds: "event", "batch" or "control" (presence, acks)."""
    if EVENT_TOPIC.match(topic):
        return "event"
    parsed = topics.parse(topic)
    return "batch" if parsed and parsed[1] in BATCH_CHANNELS else "control"


@dataclass
class DeadLetterBook:
    """The dead letters of one database, and the apply function that events and commands go through."""

    db_path: str
    apply: ApplyFn

    def list(self, status: str | None = None, limit: int = 50, offset: int = 0) -> dict:
        """Return a page of dead letters, newest first, without payloads, and how many match."""
        where, args = ("WHERE status = ?", [status]) if status else ("", [])
        with read_connection(self.db_path) as conn:
            (total,) = conn.execute(f"SELECT COUNT(*) FROM sync_dead_letters {where}", args).fetchone()
            rows = conn.execute(f"SELECT {SUMMARY} FROM sync_dead_letters {where} ORDER BY id DESC"
                                " LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        return {"dead_letters": [self._summary(row) for row in rows], "total": total,
                "limit": limit, "offset": offset}

    def open_count(self) -> int:
        with read_connection(self.db_path) as conn:
            (count,) = conn.execute("SELECT COUNT(*) FROM sync_dead_letters WHERE status = 'open'").fetchone()
        return count

    def get(self, letter_id: int) -> dict:
        """Return one dead letter with its raw payload and its audit trail; refuse an unknown id."""
        with read_connection(self.db_path) as conn:
            row = self._row(conn, letter_id)
            audit = conn.execute("SELECT action, outcome, actor, at, note FROM sync_dead_letter_audit"
                                 " WHERE dead_letter_id = ? ORDER BY id", [letter_id]).fetchall()
        return {**self._summary(row), "payload": row["payload"], "resolution": row["resolution"],
                "audit": [dict(entry) for entry in audit]}

    def discard(self, letter_id: int, actor: str, why: str) -> dict:
        """Close an open dead letter without applying it, recording who did it and why."""
        with write_transaction(self.db_path) as db:
            self._open_row(db.conn, letter_id)
            self._resolve(db, letter_id, "discarded", actor, why)
            self._audit(db, letter_id, "discard", "discarded", actor, why)
        return self.get(letter_id)

    def replay(self, letter_id: int, actor: str) -> dict:
        """Run an open dead letter through decode → validate → apply again; raise DeadLetterRefused on failure."""
        with read_connection(self.db_path) as conn:
            row = self._open_row(conn, letter_id)
        kind = kind_of(row["topic"])
        if kind == "event":
            self._replay_event(letter_id, actor)
        elif kind == "batch":
            self._replay_batch(letter_id, row["topic"], row["payload"], actor)
        else:
            raise DeadLetterRefused("not_replayable", "Presence and ack messages are not replayed: the peer "
                                                      "sends fresh ones. Discard this one with a reason.")
        return self.get(letter_id)

    def _replay_event(self, letter_id: int, actor: str) -> None:
        failure = None
        with write_transaction(self.db_path) as db:
            row = self._open_row(db.conn, letter_id)
            stream, epoch, seq = self._event_key(row["topic"])
            ledger = db.execute("SELECT outcome FROM sync_inbox WHERE stream = ? AND epoch = ? AND seq = ?",
                                [stream, epoch, seq]).fetchone()
            if ledger is None or ledger[0] != "rejected":
                failure = (f"event {seq} of {stream} (epoch {epoch}) is "
                           f"{'not in the ledger' if ledger is None else 'already ' + ledger[0]}; "
                           "it cannot be applied again. Discard this dead letter.")
            else:
                try:
                    event = json.loads(row["payload"])
                    with db.atomic():  # a savepoint: a failed replay leaves no partial effects
                        self.apply(db, stream, event)
                except (ValueError, KeyError, TypeError) as err:  # EventRejected is a ValueError
                    failure = str(err) or type(err).__name__
                else:
                    note = f"replayed from dead letter {letter_id} by {actor}"
                    db.execute("UPDATE sync_inbox SET outcome = 'applied', reason = ? WHERE stream = ? AND epoch = ?"
                               " AND seq = ?", [note, stream, epoch, seq])
                    self._resolve(db, letter_id, "replayed", actor, "applied")
                    self._audit(db, letter_id, "replay", "applied", actor, None)
            if failure:
                self._record_failure(db, letter_id, actor, failure)
        if failure:
            raise DeadLetterRefused("replay_failed", f"Replay failed: {failure}")

    def _replay_batch(self, letter_id: int, topic: str, payload: str, actor: str) -> None:
        site = topics.parse(topic)[0]
        try:
            batch = decode(BatchV1Schema(), payload.encode("utf-8"))
            if batch["site"] != site:
                raise MessageError(f"batch says site {batch['site']!r} but came on {site!r}'s topic")
        except MessageError as err:
            self._fail(letter_id, actor, str(err))
        inbox = SqliteInboxStore(self.db_path)
        before = inbox.hwm(site, batch["epoch"])
        # The inbox dedupes on (stream, epoch, seq): if we stop between these two transactions,
        # replaying again finds the events already stored and only closes the dead letter.
        received = inbox.receive(site, batch["epoch"], batch["events"], self.apply)
        hwm, gap = received.hwm, received.gap
        if received.diverged_from is not None:
            self._fail(letter_id, actor, f"seq {received.diverged_from} of {site} (epoch {batch['epoch']}) is stored "
                                         "with another event: this batch comes from an older copy of the site's "
                                         "database; discard it")
        if gap and hwm < batch["last_seq"]:
            self._fail(letter_id, actor, f"events after seq {hwm} of {site} (epoch {batch['epoch']}) have not "
                                         "arrived yet; replay again once the sender has resent them")
        result = f"applied {max(0, hwm - before)} new event(s) through seq {hwm}; the rest were already stored"
        with write_transaction(self.db_path) as db:
            self._open_row(db.conn, letter_id)
            self._resolve(db, letter_id, "replayed", actor, result)
            self._audit(db, letter_id, "replay", "applied", actor, result)

    def _fail(self, letter_id: int, actor: str, reason: str) -> None:
        with write_transaction(self.db_path) as db:
            self._record_failure(db, letter_id, actor, reason)
        raise DeadLetterRefused("replay_failed", f"Replay failed: {reason}")

    @staticmethod
    def _event_key(topic: str) -> tuple[str, int, int]:
        match = EVENT_TOPIC.match(topic)
        return match["stream"], int(match["epoch"]), int(match["seq"])

    @staticmethod
    def _summary(row) -> dict:
        return {**{key: row[key] for key in SUMMARY.split(", ")}, "kind": kind_of(row["topic"])}

    @staticmethod
    def _row(conn, letter_id: int):
        row = None
        if 0 < letter_id <= MAX_ID:
            row = conn.execute("SELECT * FROM sync_dead_letters WHERE id = ?", [letter_id]).fetchone()
        if row is None:
            raise DeadLetterRefused("unknown_dead_letter", f"There is no dead letter {letter_id}; "
                                                           "list them with GET /api/v1/sync/dead-letters.", 404)
        return row

    def _open_row(self, conn, letter_id: int):
        row = self._row(conn, letter_id)
        if row["status"] != "open":
            raise DeadLetterRefused("dead_letter_closed", f"Dead letter {letter_id} was already {row['status']} "
                                                          f"by {row['resolved_by']} at {row['resolved_at']}; "
                                                          "nothing was changed.")
        return row

    @staticmethod
    def _resolve(db, letter_id: int, status: str, actor: str, resolution: str) -> None:
        db.execute("UPDATE sync_dead_letters SET status = ?, resolved_at = ?, resolved_by = ?, resolution = ?,"
                   " attempts = attempts + CASE WHEN ? = 'replayed' THEN 1 ELSE 0 END WHERE id = ?",
                   [status, utc_now(), actor, resolution, status, letter_id])

    def _record_failure(self, db, letter_id: int, actor: str, reason: str) -> None:
        db.execute("UPDATE sync_dead_letters SET reason = ?, attempts = attempts + 1 WHERE id = ?",
                   [reason, letter_id])
        self._audit(db, letter_id, "replay", "failed", actor, reason)

    @staticmethod
    def _audit(db, letter_id: int, action: str, outcome: str, actor: str, note: str | None) -> None:
        # A closing action is stamped with the letter's resolved_at, so the two never differ by a clock tick.
        db.execute("INSERT INTO sync_dead_letter_audit (dead_letter_id, action, outcome, actor, at, note)"
                   " VALUES (?,?,?,?,COALESCE((SELECT resolved_at FROM sync_dead_letters WHERE id = ? AND status != 'open'),"
                   " ?),?)", [letter_id, action, outcome, actor, letter_id, utc_now(), note])
