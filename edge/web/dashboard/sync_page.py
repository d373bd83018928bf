"""The sync page: connection to the centre, lag, outbox depth, last ack and dead letters."""
from datetime import datetime

from flask import current_app

from edge.adapters import exception_queries

from ..staff_auth import staff_required
from . import dashboard
from .reads import now, page, reading, services

# Keys the sync health may report, in the order and words a lead reads them; unknown keys are shown after these.
KNOWN = {"connected": "Connected to the broker", "central_online": "Centre online", "outbox_depth": "Events waiting",
         "lag_seconds": "Lag (seconds, oldest event waiting)", "oldest_unacked_at": "Oldest event waiting since",
         "last_seq": "Last event seq", "acked_through_seq": "Acknowledged through seq", "last_ack_at": "Last ack",
         "dead_letters_open": "Dead letters open", "dead_letters": "Dead letters (all time)",
         "outbox_message": "Outbox budget", "outbox_used": "Share of the outbox budget used", "epoch": "Epoch",
         "auth_error": "Broker login problem"}


def health() -> dict:
    """Read the sync health defensively: a missing or failing endpoint is reported, never a 500."""
    sync = services().sync
    if sync is None:
        return {"configured": False}
    try:
        found = sync.health()
        budget = current_app.extensions.get("outbox_budget")
        extra = budget.status() if budget is not None else {}
    except Exception as err:  # the page must still show what it can when sync is broken
        return {"health_error": f"{type(err).__name__}: {err}"}
    return {**(found if isinstance(found, dict) else {"health": found}), **extra}


def lag_seconds(state: dict) -> float | None:
    """Seconds the oldest waiting event has waited (as the sync health says), else since the last ack while events
    wait; None when nothing waits or nothing is known."""
    if "lag_seconds" in state:
        return state["lag_seconds"]
    if not state.get("outbox_depth") or not state.get("last_ack_at"):
        return None
    try:
        return round((now() - datetime.fromisoformat(str(state["last_ack_at"]))).total_seconds(), 1)
    except ValueError:
        return None


@dashboard.get("/sync")
@staff_required("sync")
def sync_page():
    """Show how the site's link to the centre stands."""
    state = health()
    with reading() as conn:
        letters = exception_queries.dead_letters(conn)
        waiting = exception_queries.outbox_waiting(conn)
    rows = [(KNOWN[key], state[key]) for key in KNOWN if key in state]
    rows += [(key.replace("_", " ").capitalize(), value) for key, value in state.items() if key not in KNOWN]
    return page("sync.html", state=state, rows=rows, lag=lag_seconds(state), letters=letters,
                waiting=waiting)
