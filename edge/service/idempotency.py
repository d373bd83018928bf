"""Apply each device op_id at most once and answer a replay with the first answer."""
import functools
import hashlib
import json

from edge.domain.errors import CountedRefusal, DomainError

from .outcomes import Outcome, refusal
from .refused_ops import log_refusal
from .unit_of_work import OpRecord, UnitOfWork


class OpIdReused(DomainError):
    code = "op_id_reused"

    def __init__(self, op_id: str):
        super().__init__(f"Operation id {op_id} was already used for a different request. "
                         "Retry the action so the device makes a new op_id.")


def request_hash(cmd) -> str:
    """Return the hash of the command's fingerprint, made once per command (the bus asks before the writer lock)."""
    found = cmd.__dict__.get("_request_hash")  # beside the frozen fields: not part of equality, repr or the data
    if found is None:
        found = cmd.__dict__["_request_hash"] = hashlib.sha256(
            json.dumps(cmd.fingerprint(), sort_keys=True).encode()).hexdigest()
    return found


def idempotent(status: int = 200):
    """Run the handler in one transaction together with the record of its op_id and answer.

    A counted refusal (a wrong scan) commits its own record of the refusal, so it is stored like a success:
    replaying it neither counts it twice nor turns it into a different answer. Any other refusal rolls the
    handler back; the few that mean the floor moved on are then logged for the lead (refused_ops).
    """
    def decorate(handler):
        @functools.wraps(handler)
        def run(cmd, uow: UnitOfWork) -> Outcome:
            try:
                return apply_once(cmd, uow)
            except DomainError as err:
                log_refusal(uow, cmd, handler.__name__, err)  # after the rollback, in a transaction of its own
                raise
        run.prepare = request_hash  # needs no database: the bus runs it before queueing for the writer

        def apply_once(cmd, uow: UnitOfWork) -> Outcome:
            with uow:
                fingerprint = request_hash(cmd)
                seen = uow.ops.get(cmd.op_id)
                if seen is not None:
                    if seen.request_hash != fingerprint or seen.badge != cmd.badge:
                        raise OpIdReused(cmd.op_id)
                    return Outcome(seen.status_code, seen.response, replayed=True)
                try:
                    outcome = Outcome(status, handler(cmd, uow))
                except CountedRefusal as err:
                    outcome = refusal(err)
                uow.ops.add(OpRecord(cmd.op_id, cmd.badge, cmd.device_id, handler.__name__, fingerprint,
                                     outcome.status, outcome.body, uow.now()))
                uow.commit()
                return outcome
        return run
    return decorate
