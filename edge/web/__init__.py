"""The edge's Flask app: the handheld JSON API under /api/v1 and a small status page."""
from dataclasses import dataclass

from flask import Flask

from edge.domain.errors import DomainError
from edge.service.messagebus import MessageBus

from .errors import ApiRefusal, EdgeApi, handle_api_refusal, handle_domain_error, refuse_too_deep_json

MAX_BODY_BYTES = 256 * 1024


@dataclass
class EdgeServices:
    """What the views need, kept on app.extensions so nothing lives at module level."""

    bus: MessageBus
    db_path: str
    site_id: str
    sync: object | None = None
    devices: object | None = None  # the live device registry (LiveDeviceRegistry) when label printing is configured
    print_worker: object | None = None


def create_app(config: dict, bus: MessageBus | None = None) -> Flask:
    """Build the app for one site's database: SITE_ID, DB_PATH and optionally SYNC (nudge() and health()).

    DEVICE_AUTH "required" (the default) refuses handheld calls without an enrolled device's X-Device-Token;
    "optional" checks a token only when one is sent (tests of other behaviour use it). LEASE_MINUTES is how long
    downloaded tasks stay leased. DEVICE_CONFIG (a devices JSON path) turns on SSCCs and labels at packing.
    GROUP_COMMIT (default on) lets concurrent pick-flow writes share one commit; HANDHELD_FAST_LANE (default on)
    answers plain next-task, location-scan and pick calls without Flask's request machinery (api/fast_lane.py).
    COMMAND_WRITER (settings from `serve --workers`) sends those hot commands to the site agent's command writer.
    """
    from edge.adapters.migrations import init_database
    from edge.bootstrap import build_bus, load_site_devices
    from edge.devices.printer_admin import LiveDeviceRegistry

    from .api import devices as devices_api
    from .api import enrolment, orders, picking, receiving, sessions, status, sync_ops
    from .api import counts as counts_api
    from .api import returns as returns_api
    from .api import verification as verification_api
    from .api import batches as batches_api
    from .api.fast_lane import install_fast_lane
    from .dashboard import dashboard
    from .devices_pages import devices_pages
    from .staff_auth import init_staff_auth

    app = Flask(__name__)
    app.json.sort_keys = False  # keep fields in the order the API documents them
    app.config.update(
        API_TITLE="WES edge", API_VERSION="v1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json", MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    app.config.update(config)
    site_id, db_path, sync = config["SITE_ID"], config["DB_PATH"], config.get("SYNC")
    init_database(db_path, site_id)
    devices = load_site_devices(config["DEVICE_CONFIG"], site_id, db_path) if config.get("DEVICE_CONFIG") else None
    if devices is not None:  # edits through /api/v1/devices swap the config in for packing and the print worker
        devices = LiveDeviceRegistry(config["DEVICE_CONFIG"], devices)
    if bus is None:
        bus = build_bus(db_path, on_commit=sync.nudge if sync is not None else lambda: None, devices=devices,
                        group_commit=config.get("GROUP_COMMIT", True), writer=config.get("COMMAND_WRITER"))
    app.extensions["wes_edge"] = EdgeServices(bus, db_path, site_id, sync, devices)
    api = EdgeApi(app)
    # Registered after EdgeApi so our shape wins over flask-smorest's default error handler.
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(ApiRefusal, handle_api_refusal)
    app.before_request(refuse_too_deep_json)
    for blueprint in (enrolment.blp, sessions.blp, picking.blp, orders.blp, receiving.blp, status.public,
                      sync_ops.public):
        api.register_blueprint(blueprint, url_prefix="/api/v1")
    api.register_blueprint(sync_ops.lead, url_prefix="/api/v1")  # dashboard session: CSRF applies
    api.register_blueprint(devices_api.blp, url_prefix="/api/v1")  # staff cookies: CSRF stays on
    api.register_blueprint(counts_api.blp, url_prefix="/api/v1")
    api.register_blueprint(counts_api.lead, url_prefix="/api/v1")  # dashboard session: CSRF applies
    api.register_blueprint(returns_api.blp, url_prefix="/api/v1")
    api.register_blueprint(verification_api.lead, url_prefix="/api/v1")  # dashboard session: CSRF applies
    api.register_blueprint(batches_api.blp, url_prefix="/api/v1")
    api.register_blueprint(batches_api.lead, url_prefix="/api/v1")  # dashboard session: CSRF applies
    init_staff_auth(app, db_path)
    sync_ops.install(app)  # the outbox budget, and its guard on the views that hand out new work
    app.register_blueprint(dashboard)
    app.register_blueprint(devices_pages)
    # Liveness at the root too, where load balancers and the centre's launcher look for it.
    app.add_url_rule("/health", "health", lambda: {"status": "ok", "site": site_id})
    install_fast_lane(app)  # in front of everything above: the plain hot handheld calls skip Flask's machinery
    return app
