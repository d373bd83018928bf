"""Counts & replenishment: variances waiting for the lead, open counts and replenishments, scheduling counts."""
from edge.adapters import count_queries
from edge.service.count_commands import CancelCount, CreateCounts, DecideCount

from ..staff_auth import staff_required
from . import dashboard
from .reads import actor, form, page, reading, run_action


def render_counts(error: str = ""):
    with reading() as conn:
        return page("counts.html", awaiting=count_queries.awaiting_approval(conn),
                    open_counts=count_queries.open_counts(conn), replenishments=count_queries.replenishments(conn),
                    faces=count_queries.pick_faces(conn), settings=count_queries.settings(conn),
                    recent=count_queries.counts(conn, limit=20), error=error)


@dashboard.get("/counts")
@staff_required("floor")
def counts():
    """Show count variances waiting for approval, open counts, open replenishments and the pick faces."""
    return render_counts()


@dashboard.post("/counts/schedule")
@staff_required("floor")
def schedule_counts():
    """Schedule counts of a zone and/or a list of locations (comma or space separated)."""
    locations = tuple(code for code in form("locations").replace(",", " ").split() if code)
    return run_action(CreateCounts(locations, form("zone"), actor(), form("reason")), "dashboard.counts",
                      render_counts)


@dashboard.post("/counts/<count_id>/<any(approve, reject):decision>")
@staff_required("floor")
def decide_count(count_id: str, decision: str):
    """Approve a counted variance (stock is adjusted) or reject it (nothing changes); a reason is required."""
    return run_action(DecideCount(count_id, decision == "approve", actor(), form("reason")), "dashboard.counts",
                      render_counts)


@dashboard.post("/counts/<count_id>/cancel")
@staff_required("floor")
def cancel_count(count_id: str):
    """Withdraw a count nobody is finishing, so the picks it holds at its location go out again."""
    return run_action(CancelCount(count_id, actor(), form("reason")), "dashboard.counts", render_counts)
