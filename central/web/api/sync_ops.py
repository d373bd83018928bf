"""Sync operations at the centre: health overall and per site, and dead letters to inspect, replay or discard."""
from flask.views import MethodView
from flask_smorest import Blueprint

from central.adapters.hub_hooks import apply_event
from central.web.errors import ApiError
from central.web.runtime import read, services
from sync.dead_letters import DeadLetterBook, DeadLetterRefused
from sync.health import outbox_health, site_up_health
from sync.report_schemas import (CentralSyncHealthSchema, DeadLetterFilterSchema, DeadLetterPageSchema,
                                 DeadLetterSchema, DiscardInSchema, ReplayInSchema, SiteSyncHealthSchema)

blp = Blueprint("sync_ops", __name__, url_prefix="/api/v1/sync",
                description="Sync health, and dead letters (messages set aside) to inspect, replay or discard")


def _site_health(conn, site: dict, sync) -> dict:
    peer = getattr(sync, "peer_online", None)
    return {"site_id": site["site_id"], "online": bool(site["online"]), "last_seen_at": site["last_seen_at"],
            "peer_online": peer(site["site_id"]) if peer else None,
            "events": site_up_health(conn, site["site_id"], site["last_state"]),
            "commands": outbox_health(conn, site["site_id"])}


def _sites(conn, site_id: str | None = None) -> list[dict]:
    where, args = ("WHERE site_id = ?", [site_id]) if site_id else ("", [])
    return [dict(row) for row in conn.execute(f"SELECT site_id, online, last_seen_at, last_state FROM sites {where}"
                                              " ORDER BY site_id", args)]


@blp.route("")
class SyncHealth(MethodView):
    @blp.alt_response(200, schema=CentralSyncHealthSchema, success=True,
                      description="The link, dead letters and each site's event and command streams")
    def get(self):
        """Show the sync endpoint's health and each site's streams, or configured: false."""
        sync = services().sync
        if sync is None:
            return {"configured": False}
        sites = read(lambda conn: [_site_health(conn, site, sync) for site in _sites(conn)])
        return {"configured": True, **sync.health(), "sites": sites}


@blp.route("/sites/<site_id>")
class SiteSyncHealth(MethodView):
    @blp.response(200, SiteSyncHealthSchema)
    def get(self, site_id):
        """Show one site's presence, its event stream (lag as the site reports it) and its command stream."""
        sync = services().sync

        def query(conn):
            found = _sites(conn, site_id)
            return _site_health(conn, found[0], sync) if found else None

        health = read(query)
        if health is None:
            raise ApiError(404, "unknown_site", f"No site {site_id}; register it with POST /api/v1/sites.")
        return health


def _book() -> DeadLetterBook:
    return DeadLetterBook(services().db_path, apply_event)


def _act(action, *args) -> dict:
    try:
        return action(*args)
    except DeadLetterRefused as refused:
        raise ApiError(refused.status, refused.code, refused.message) from None


@blp.route("/dead-letters")
class DeadLetters(MethodView):
    @blp.arguments(DeadLetterFilterSchema, location="query")
    @blp.response(200, DeadLetterPageSchema)
    def get(self, args):
        """List dead letters, newest first, optionally by status, a page at a time."""
        return _book().list(args["status"], args["limit"], args["offset"])


@blp.route("/dead-letters/<int:letter_id>")
class DeadLetter(MethodView):
    @blp.response(200, DeadLetterSchema)
    def get(self, letter_id):
        """Show one dead letter: raw payload, reason, topic, when, and what was done with it."""
        return _act(_book().get, letter_id)


@blp.route("/dead-letters/<int:letter_id>/replay")
class ReplayDeadLetter(MethodView):
    @blp.arguments(ReplayInSchema)
    @blp.response(200, DeadLetterSchema)
    def post(self, body, letter_id):
        """Apply an open dead letter again, exactly once; a failure keeps it open with the new reason (409)."""
        return _act(_book().replay, letter_id, body["by"])


@blp.route("/dead-letters/<int:letter_id>/discard")
class DiscardDeadLetter(MethodView):
    @blp.arguments(DiscardInSchema)
    @blp.response(200, DeadLetterSchema)
    def post(self, body, letter_id):
        """Close an open dead letter without applying it; who and why are kept."""
        return _act(_book().discard, letter_id, body["by"], body["reason"])
