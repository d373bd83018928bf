"""Flask application factory of the centre."""
from flask import Flask

from .errors import CentralApi, refuse_too_deep_json, register_error_handlers
from .runtime import CentralServices

MAX_BODY_BYTES = 256 * 1024


def create_app(config: dict, bus=None) -> Flask:
    """Build the app: config needs DB_PATH; SYNC (nudge(), health()) is optional.

    Migrations run here (idempotent). Without a bus one is wired by central.bootstrap.
    """
    from central import bootstrap  # wiring lives there; imported late so it can import this module

    app = Flask("central")
    app.config.update(
        API_TITLE="WES central hub", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api", OPENAPI_JSON_PATH="openapi.json", MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    app.config.update(config)
    db_path = app.config["DB_PATH"]
    sync = app.config.get("SYNC")
    bootstrap.migrate(db_path)
    if bus is None:
        bus = bootstrap.bootstrap_bus(db_path, on_commands_sent=sync.nudge if sync else None)
    app.extensions["central"] = CentralServices(bus=bus, db_path=db_path, sync=sync)

    api = CentralApi(app)
    from .api import asns, items, orders, sites, status, sync_ops
    for module in (orders, sites, items, status, sync_ops, asns):
        api.register_blueprint(module.blp)
    from .api import inventory, order_imports, returns, transfers
    for module in (order_imports, transfers, inventory, returns):
        api.register_blueprint(module.blp)
    from .ops import register_ops_view
    register_ops_view(app)
    register_error_handlers(app)
    app.before_request(refuse_too_deep_json)
    return app
