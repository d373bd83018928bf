"""Dashboard logins: a signed session cookie, CSRF on every form and action, and role checks per area.

CSRF is checked where a cookie session is what authorises the request: in `staff_required` views (after the login and
role checks, so a stranger learns only "log in") and on the login and logout forms. The handheld API authorises by
headers (device token + bearer session), so CSRF does not apply to it.
"""
import functools
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from edge.adapters.staff_accounts import check_login, find_staff, session_secret
from edge.domain.staff import Staff
from sync.sqlite_store import pooled_connection, write_transaction

from .errors import ApiRefusal, handle_api_refusal

csrf = CSRFProtect()
staff_pages = Blueprint("staff", __name__, template_folder="templates")
SHIFT = timedelta(hours=12)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def init_staff_auth(app, db_path: str) -> None:
    """Give the app its persistent signing secret, safe cookie settings and CSRF protection."""
    with write_transaction(db_path) as db:
        app.secret_key = session_secret(db)
    app.config.setdefault("SESSION_COOKIE_SECURE", False)  # True when a TLS proxy fronts the edge (--secure-cookies)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=SHIFT,
                      WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, a whole shift
                      WTF_CSRF_CHECK_DEFAULT=False)  # checked by staff_required and the login forms, see above
    csrf.init_app(app)
    app.register_error_handler(CSRFError, refuse_stale_form)
    app.register_blueprint(staff_pages)


def load_staff() -> None:
    """Put the logged-in staff member (or None) on g for this request (on first use: handheld calls never pay)."""
    g.staff = None
    username = session.get("staff")
    if username:
        with pooled_connection(current_app.extensions["wes_edge"].db_path) as conn:
            staff = find_staff(conn, username)
        g.staff = staff if staff is not None and staff.active else None


def current_staff() -> Staff | None:
    """Return who is logged in to the dashboard, or None."""
    if "staff" not in g:
        load_staff()
    return g.staff


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def staff_required(area: str):
    """Guard a view: log in first (redirect for pages, 401 for JSON), and hold a role that may open `area`."""
    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            staff = current_staff()
            if staff is None:
                if wants_json():
                    raise ApiRefusal(401, "not_logged_in", "Log in to the site dashboard first.")
                return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
            if not staff.may(area):
                if wants_json():
                    raise ApiRefusal(403, "not_allowed", f"Your role ({staff.role}) may not do this. "
                                                         "Ask a lead or an admin.")
                return render_template("staff_denied.html", staff=staff, area=area), 403
            if request.method not in SAFE_METHODS:
                csrf.protect()
            return view(*args, **kwargs)
        return guarded
    return decorate


def safe_next(target: str | None) -> str:
    """Return a same-site path to go to after login (never another host)."""
    parsed = urlparse(target or "")
    if parsed.scheme or parsed.netloc or not (target or "").startswith("/"):
        return url_for("dashboard.status_page")
    return target


@staff_pages.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; on POST check the password and start a session."""
    error, status = "", 200
    if request.method == "POST":
        csrf.protect()
        username = request.form.get("username", "").strip().lower()
        with write_transaction(current_app.extensions["wes_edge"].db_path) as db:
            staff, reason = check_login(db, username, request.form.get("password", ""), datetime.now(timezone.utc))
        if staff is not None:
            session.clear()
            session.permanent = True
            session["staff"] = staff.username
            return redirect(safe_next(request.args.get("next")))
        error = ("Too many wrong passwords: this login is locked for a few minutes. Ask an admin if it is urgent."
                 if reason == "locked" else "Wrong user name or password. Check them and try again.")
        status = 401
    return render_template("staff_login.html", error=error, next=request.args.get("next", "")), status


@staff_pages.post("/logout")
def logout():
    """End the dashboard session."""
    csrf.protect()
    session.clear()
    return redirect(url_for("staff.login"))


def refuse_stale_form(err: CSRFError):
    if wants_json():  # answered here: an exception raised inside an error handler would become a 500
        return handle_api_refusal(ApiRefusal(400, "csrf_failed",
                                             "The security token is missing or stale. Reload the page and try again."))
    return render_template("staff_denied.html", staff=current_staff(), area="",
                           message="This form expired or did not come from this dashboard. "
                                   "Reload the page and try again."), 400


__all__ = ["csrf", "current_staff", "init_staff_auth", "staff_required"]
