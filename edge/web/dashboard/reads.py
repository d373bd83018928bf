"""What every dashboard view needs: the site's services, a read connection, the clock, and running a lead action."""
from contextlib import contextmanager
from datetime import datetime, timezone

from flask import current_app, flash, redirect, render_template, request, url_for

from edge.domain.errors import DomainError
from edge.service.outcomes import status_for
from sync.sqlite_store import pooled_connection

from ..staff_auth import current_staff, wants_json


def services():
    return current_app.extensions["wes_edge"]


@contextmanager
def reading():
    """Yield this thread's pooled connection to the site database, for reading."""
    with pooled_connection(services().db_path) as conn:
        yield conn


def now() -> datetime:
    return datetime.now(timezone.utc)


def actor() -> str:
    return current_staff().username


def run_action(cmd, back_to: str, render_page):
    """Run a lead's command: on success say what happened and go back; on refusal show why, changing nothing.

    JSON callers get the handler's answer or the one JSON error shape.
    """
    try:
        answer = services().bus.handle(cmd)
    except DomainError as err:
        if wants_json():
            raise
        return render_page(error=err.message), status_for(err)
    if wants_json():
        return answer
    flash(answer.get("message", "Done."), "ok")
    return redirect(url_for(back_to), code=303)


def form(name: str) -> str:
    return request.form.get(name, "").strip()


def page(template: str, **context):
    return render_template(template, **context)
