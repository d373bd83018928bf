"""Wire the edge's concrete parts together; the only module that knows them all."""
import logging
from datetime import datetime, timezone

from flask import Flask

from edge.adapters.central_inbox import apply_command
from edge.adapters.command_writer import CommandWriter, WriterClient
from edge.adapters.group_commit import GroupCommit
from edge.adapters.migrations import init_database
from edge.adapters.seed_file import SeedFileError, load_seed_file
from edge.adapters.sqlite_labels import pack_printer
from edge.adapters.sqlite_uow import SqliteUnitOfWork
from edge.devices.dispatcher import PrintDispatcher
from edge.devices.migrations import apply_device_migrations
from edge.devices.print_worker import PrintQueueWorker
from edge.devices.registry import DeviceConfig, RegistryError, load_device_config
from edge.service.commands import CreateEnrolmentCode, RevokeDevice, SeedSite
from edge.service.count_commands import SetPickFaces
from edge.service.messagebus import HANDLERS, MessageBus
from protocols.labels import LabelError
from sync.outbox_budget import OutboxPruner
from sync.site_endpoint import SiteSyncEndpoint
from sync.sqlite_store import write_transaction

log = logging.getLogger(__name__)


def hot_command_job(devices: DeviceConfig | None = None):
    """Return job(handler, cmd, db): one hot command in its own savepoint of a shared (group) transaction."""
    site: list[str] = []

    def job(handler, cmd, db):
        if not site:
            site.append(db.execute("SELECT site_id FROM site_meta WHERE id = 1").fetchone()[0])
        return handler(cmd, SqliteUnitOfWork(db=db, savepoint=True, devices=devices, site_id=site[0]))
    return job


def build_bus(db_path: str, on_commit=lambda: None, devices: DeviceConfig | None = None,
              group_commit: bool = False, writer: dict | None = None) -> MessageBus:
    """Build the message bus over the site database; on_commit runs after every committed write.

    With group_commit the handheld's hot commands waiting for the writer share one transaction (GroupCommit); with
    `writer` settings (an HTTP worker of `serve --workers`) they go to the site agent's command writer first.
    """
    run_grouped = None
    if group_commit:
        group, job = GroupCommit(db_path, on_commit), hot_command_job(devices)

        def run_grouped(handler, cmd):
            return group.run(lambda db: job(handler, cmd, db))
        if writer is not None:
            run_grouped = WriterClient(writer, run_grouped).run
    return MessageBus(lambda: SqliteUnitOfWork(db_path, on_commit=on_commit, devices=devices), run_grouped)


def start_command_writer(db_path: str, settings: dict, devices: DeviceConfig | None = None,
                         on_commit=lambda: None) -> CommandWriter:
    """Serve the HTTP workers' hot commands from this process (the site agent of `serve --workers`)."""
    job = hot_command_job(devices)
    return CommandWriter(settings, db_path, lambda cmd, db: job(HANDLERS[type(cmd)], cmd, db), on_commit).start()


def load_site_devices(path: str, site_id: str, db_path: str) -> DeviceConfig:
    """Read the devices config, check it fits this site and migrate the print queue tables."""
    devices = load_device_config(path)
    if devices.site_id != site_id:
        raise RegistryError(f"Devices config {path} is for site {devices.site_id}, not {site_id}.")
    printer = pack_printer(devices)
    if printer is not None:
        try:
            printer.size.require_at_least(100, 148, f"GS1 logistic label on {printer.name}")
        except LabelError as err:
            raise RegistryError(f"Devices config {path} is not usable: {err}") from None
    elif devices.sscc is not None:
        log.warning("devices config %s has no printer with station PACK: SSCCs are issued, no labels printed", path)
    apply_device_migrations(db_path)
    return devices


def seed_site(db_path: str, site_id: str, seed_path: str) -> dict:
    """Load a seed file into the site database in one transaction; return what changed."""
    data = load_seed_file(seed_path)
    if data["site_id"] != site_id:
        raise SeedFileError(f"seed file {seed_path} is for site {data['site_id']}, not {site_id}")
    init_database(db_path, site_id)
    bus = build_bus(db_path)
    changed = bus.handle(SeedSite(data["site_id"], data["locations"], data["pickers"], data["stock"]))
    if data["pick_faces"]:
        faces = tuple((f["location"], f["sku"], f["min"], f["max"]) for f in data["pick_faces"])
        changed["pick_faces"] = len(bus.handle(SetPickFaces(faces))["pick_faces"])
    return changed


def create_enrolment_code(db_path: str, site_id: str, minutes: float = 60.0) -> dict:
    """Mint a single-use enrolment code for a handheld (the CLI and the dashboard call this)."""
    init_database(db_path, site_id)
    return build_bus(db_path).handle(CreateEnrolmentCode(minutes))


def revoke_device(db_path: str, site_id: str, device_id: str) -> dict:
    """Withdraw a handheld: its token and its sessions stop working."""
    init_database(db_path, site_id)
    return build_bus(db_path).handle(RevokeDevice(device_id))


def add_staff_user(db_path: str, site_id: str, username: str, role: str, password: str,
                   display_name: str = "") -> dict:
    """Create a dashboard login (the CLI and the demo call this); raise StaffError when it is not acceptable."""
    from edge.adapters.staff_accounts import add_staff

    init_database(db_path, site_id)
    with write_transaction(db_path) as db:
        staff = add_staff(db, username, role, password, datetime.now(timezone.utc), display_name)
    return {"username": staff.username, "role": staff.role, "display_name": staff.display_name}


def prepare_site(site_id: str, db_path: str, seed_path: str | None = None, devices_path: str | None = None) -> None:
    """Migrate, seed (idempotent) and check the devices config, before any server process starts."""
    init_database(db_path, site_id)
    if seed_path:
        log.info("seeded %s: %s", site_id, seed_site(db_path, site_id, seed_path))
    if devices_path:
        load_site_devices(devices_path, site_id, db_path)  # a bad config stops start-up before anything runs


def worker_app_factory(site_id: str, db_path: str, **options):
    """Return a function building one HTTP worker's app; the site agent owns sync and the print queue."""
    def build() -> Flask:
        from edge.web import create_app
        from sync.link_status import SharedSiteSync

        return create_app({"SITE_ID": site_id, "DB_PATH": db_path, "DEVICE_AUTH": options.get("device_auth", "required"),
                           "LEASE_MINUTES": options.get("lease_minutes", 30.0),
                           "DEVICE_CONFIG": options.get("devices_path"),
                           "SESSION_COOKIE_SECURE": options.get("secure_cookies", False),
                           "OUTBOX_BUDGET_MB": options.get("outbox_budget_mb"), "SYNC": SharedSiteSync(db_path),
                           "COMMAND_WRITER": options.get("command_writer")})
    return build


def start_edge(site_id: str, db_path: str, mqtt_url: str, *, resend_after: float = 30.0,
               seed_path: str | None = None, device_auth: str = "required", lease_minutes: float = 30.0,
               devices_path: str | None = None, mqtt_username: str | None = None,
               mqtt_password: str | None = None, secure_cookies: bool = False, outbox_budget_mb: float | None = None,
               outbox_retention_hours: float = 168.0, mqtt_ca_file: str | None = None) -> tuple[Flask, SiteSyncEndpoint]:
    """Migrate (and seed), start the sync endpoint, build the app that nudges it after each write and,
    with a devices config, start the print queue worker. Stop everything with stop_edge(app, endpoint)."""
    from edge.web import create_app

    prepare_site(site_id, db_path, seed_path, devices_path)
    config = {"SITE_ID": site_id, "DB_PATH": db_path, "DEVICE_AUTH": device_auth, "LEASE_MINUTES": lease_minutes,
              "DEVICE_CONFIG": devices_path, "SESSION_COOKIE_SECURE": secure_cookies,
              "OUTBOX_BUDGET_MB": outbox_budget_mb}
    endpoint = SiteSyncEndpoint(db_path, site_id, mqtt_url, apply_command, resend_after=resend_after,
                                username=mqtt_username, password=mqtt_password, ca_file=mqtt_ca_file)
    endpoint.link.add_pump(OutboxPruner(db_path, outbox_retention_hours))  # acked rows only, past the retention
    endpoint.start()
    app = create_app({**config, "SYNC": endpoint})
    endpoint.link.add_pump(app.extensions["outbox_budget"].level)  # logs alarm/full even with no API traffic
    services = app.extensions["wes_edge"]
    if services.devices is not None:
        services.print_worker = PrintQueueWorker(PrintDispatcher(db_path, services.devices))
        services.print_worker.start()
    return app, endpoint


def stop_edge(app: Flask, endpoint: SiteSyncEndpoint) -> None:
    """Stop the print queue worker (after its current drain), then the sync endpoint."""
    worker = app.extensions["wes_edge"].print_worker
    if worker is not None:
        worker.stop()
    endpoint.stop()
