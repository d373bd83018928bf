"""Wire the edge's concrete parts together; the only module that knows them all."""
import logging

from flask import Flask

from edge.adapters.central_inbox import apply_command
from edge.adapters.migrations import init_database
from edge.adapters.seed_file import SeedFileError, load_seed_file
from edge.adapters.sqlite_uow import SqliteUnitOfWork
from edge.service.commands import CreateEnrolmentCode, RevokeDevice, SeedSite
from edge.service.messagebus import MessageBus
from sync.site_endpoint import SiteSyncEndpoint

log = logging.getLogger(__name__)


def build_bus(db_path: str, on_commit=lambda: None) -> MessageBus:
    """Build the message bus over the site database; on_commit runs after every committed write."""
    return MessageBus(lambda: SqliteUnitOfWork(db_path, on_commit=on_commit))


def seed_site(db_path: str, site_id: str, seed_path: str) -> dict:
    """Load a seed file into the site database in one transaction; return what changed."""
    data = load_seed_file(seed_path)
    if data["site_id"] != site_id:
        raise SeedFileError(f"seed file {seed_path} is for site {data['site_id']}, not {site_id}")
    init_database(db_path, site_id)
    return build_bus(db_path).handle(SeedSite(data["site_id"], data["locations"], data["pickers"], data["stock"]))


def create_enrolment_code(db_path: str, site_id: str, minutes: float = 60.0) -> dict:
    """Mint a single-use enrolment code for a handheld (the CLI and the dashboard call this)."""
    init_database(db_path, site_id)
    return build_bus(db_path).handle(CreateEnrolmentCode(minutes))


def revoke_device(db_path: str, site_id: str, device_id: str) -> dict:
    """Withdraw a handheld: its token and its sessions stop working."""
    init_database(db_path, site_id)
    return build_bus(db_path).handle(RevokeDevice(device_id))


def start_edge(site_id: str, db_path: str, mqtt_url: str, *, resend_after: float = 30.0,
               seed_path: str | None = None, device_auth: str = "required",
               lease_minutes: float = 30.0) -> tuple[Flask, SiteSyncEndpoint]:
    """Migrate (and seed), start the sync endpoint and build the app that nudges it after each write."""
    from edge.web import create_app

    init_database(db_path, site_id)
    if seed_path:
        log.info("seeded %s: %s", site_id, seed_site(db_path, site_id, seed_path))
    endpoint = SiteSyncEndpoint(db_path, site_id, mqtt_url, apply_command, resend_after=resend_after)
    endpoint.start()
    app = create_app({"SITE_ID": site_id, "DB_PATH": db_path, "SYNC": endpoint, "DEVICE_AUTH": device_auth,
                      "LEASE_MINUTES": lease_minutes})
    return app, endpoint
