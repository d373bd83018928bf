"""Command line of the edge server: serve, seed, enrolment-code, revoke-device, add-user, release-wave."""
import argparse
import json
import logging
import os
import secrets
import signal
import sys
import threading
from pathlib import Path

from edge.adapters.migrations import WrongSite
from edge.adapters.seed_file import SeedFileError
from edge.domain.errors import DomainError
from edge.domain.staff import ROLES

log = logging.getLogger("edge")


def add_sync_arguments(command: argparse.ArgumentParser) -> None:
    """Add what both the server and the site agent need: the site, its database, the broker and the outbox."""
    command.add_argument("--site", required=True, help="site id, e.g. DC01")
    command.add_argument("--db", required=True, help="path of the site's SQLite database (created if missing)")
    command.add_argument("--mqtt-url", default="mqtt://127.0.0.1:1883", help="broker URL (default: %(default)s)")
    command.add_argument("--resend-after", type=float, default=30.0,
                         help="seconds before an unacknowledged batch is sent again (default: %(default)s)")
    command.add_argument("--devices", metavar="FILE",
                         help="devices config (SSCC series, printers): closing a carton issues an SSCC and prints its "
                              "label on the first PACK printer")
    command.add_argument("--mqtt-username", metavar="NAME", help="user name for the broker")
    command.add_argument("--mqtt-password-file", metavar="FILE",
                         help="file holding the broker password (never give the password itself on the command line)")
    command.add_argument("--mqtt-ca-file", metavar="FILE",
                         help="CA certificate that signed the broker's (for mqtts:// URLs, e.g. from wes-mqtt-access --tls)")
    command.add_argument("--outbox-budget-mb", type=float, default=1024.0, metavar="MB",
                         help="disk budget of unacknowledged events: alarm at 70%%, refuse new tasks at 95%% "
                              "(default: %(default)s)")
    command.add_argument("--outbox-retention-hours", type=float, default=168.0, metavar="HOURS",
                         help="keep acknowledged events this long before pruning them (default: %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wes-edge", description="Run a site's edge server of the WES.")
    commands = parser.add_subparsers(dest="command", required=True)
    # No abbreviations: "--mqtt-password SECRET" must fail, not be read as --mqtt-password-file.
    serve = commands.add_parser("serve", help="serve the handheld API and sync with the centre over MQTT",
                                description="Serve the handheld API with waitress and sync with the centre.",
                                allow_abbrev=False)
    add_sync_arguments(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8001, help="port to listen on (default: %(default)s)")
    serve.add_argument("--seed", metavar="FILE", help="seed file to load before serving (idempotent)")
    serve.add_argument("--device-auth", choices=("optional", "required"), default="required",
                       help="required: every handheld call needs an enrolled device's X-Device-Token; optional: "
                            "a token is checked when sent (default: %(default)s)")
    serve.add_argument("--lease-minutes", type=float, default=30.0,
                       help="how long tasks downloaded to a handheld stay leased to it (default: %(default)s)")
    serve.add_argument("--secure-cookies", action="store_true",
                       help="mark dashboard cookies Secure (set it when a TLS proxy serves the edge over https)")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="processes serving the site: 1 serves everything in this process (waitress); N of 2 or "
                            "more run a site agent (sync, printing and the handheld's writes) and N-1 HTTP worker "
                            "processes (granian); 2 suits a 2-core edge (default: %(default)s)")
    agent = commands.add_parser("agent", help="run only sync and the print queue (serve --workers starts it)",
                                description="The site agent: sync with the centre and drain the print queue while "
                                            "HTTP worker processes serve the API; started by serve --workers N, it "
                                            "also runs the handheld's hot writes for those workers.",
                                allow_abbrev=False)
    add_sync_arguments(agent)
    user = commands.add_parser("add-user", help="create a dashboard login (lead, integrator, admin or picker)",
                               description="Create a login for the site dashboard. Without --password-file a random "
                                           "password is made and printed once.")
    user.add_argument("--site", required=True, help="site id, e.g. DC01")
    user.add_argument("--db", required=True, help="path of the site's SQLite database (created if missing)")
    user.add_argument("--username", required=True, help="login name: 2-40 lower-case letters, digits, . _ -")
    user.add_argument("--role", required=True, choices=ROLES, help="what the login may do")
    user.add_argument("--name", default="", help="display name (default: the login name)")
    user.add_argument("--password-file", metavar="FILE", help="file holding the password (at least 10 characters)")
    code = commands.add_parser("enrolment-code", help="print a single-use code a handheld enrols with",
                               description="Mint a short-lived, single-use enrolment code for one handheld.")
    code.add_argument("--site", required=True, help="site id, e.g. DC01")
    code.add_argument("--db", required=True, help="path of the site's SQLite database")
    code.add_argument("--minutes", type=float, default=60.0, help="minutes the code stays valid (default: %(default)s)")
    code.add_argument("--json", action="store_true", help="print code, site and expiry as one JSON line")
    revoke = commands.add_parser("revoke-device", help="withdraw an enrolled handheld",
                                 description="Revoke a handheld: its token and its pickers' sessions stop working.")
    revoke.add_argument("--site", required=True, help="site id, e.g. DC01")
    revoke.add_argument("--db", required=True, help="path of the site's SQLite database")
    revoke.add_argument("--device-id", required=True, help="the handheld's device id, e.g. HH-07")
    seed = commands.add_parser("seed", help="load locations, pickers and stock counts from a JSON file",
                               description="Load a seed file; running it twice changes nothing the second time.")
    seed.add_argument("--site", required=True, help="site id, e.g. DC01")
    seed.add_argument("--db", required=True, help="path of the site's SQLite database (created if missing)")
    seed.add_argument("--file", required=True, help="seed file, e.g. deploy/sample/DC01.json")
    add_wave_arguments(commands)
    return parser


def add_wave_arguments(commands) -> None:
    """Add release-wave: the wave rule run by hand or from a timer at a carrier's cut-off."""
    wave = commands.add_parser("release-wave", help="release a wave of orders by rule (cut-off, priority) into batches",
                               description="Put the released orders nobody has started that the rule takes into a "
                                           "wave, cut into batches of one cart of totes. Run it from a timer at a "
                                           "carrier's cut-off. Nothing to release is not an error.")
    wave.add_argument("--site", required=True, help="site id, e.g. DC01")
    wave.add_argument("--db", required=True, help="path of the site's SQLite database")
    wave.add_argument("--cart-slots", type=int, required=True, help="totes on one cart: the most orders per batch")
    wave.add_argument("--ship-by", type=ship_date, metavar="YYYY-MM-DD|today",
                      help="carrier cut-off: take orders due to ship on or before this date (default: any date)")
    wave.add_argument("--max-priority", type=int, default=9, choices=range(1, 10), metavar="1-9",
                      help="take orders of this priority or more urgent (1 is the most urgent; default: %(default)s)")
    wave.add_argument("--max-orders", type=int, default=0, help="take at most this many orders (default: 0, all)")
    wave.add_argument("--json", action="store_true", help="print the wave and its batches as one JSON line")


def ship_date(text: str) -> str:
    """Return the date as YYYY-MM-DD; "today" is today's UTC date."""
    from datetime import date, datetime, timezone

    if text == "today":
        return datetime.now(timezone.utc).date().isoformat()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: give YYYY-MM-DD or today") from None


def read_password_file(path: str, what: str = "MQTT password") -> str:
    """Return the password in a file (one line; the trailing newline is not part of it)."""
    try:
        password = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"cannot read the {what} file {path}: {getattr(err, 'strerror', None) or err}. "
                         "Check the path and that this user may read it.") from None
    if not password:
        raise ValueError(f"the {what} file {path} is empty: write the password into it.")
    return password


def serve(args: argparse.Namespace) -> int:
    from waitress.server import create_server

    from edge.bootstrap import start_edge, stop_edge

    if args.mqtt_password_file and not args.mqtt_username:
        raise ValueError("--mqtt-password-file needs --mqtt-username.")
    if args.outbox_budget_mb <= 0 or args.outbox_retention_hours < 0:
        raise ValueError("--outbox-budget-mb must be more than 0 and --outbox-retention-hours at least 0.")
    password = read_password_file(args.mqtt_password_file) if args.mqtt_password_file else None
    if args.workers > 1:
        return serve_with_workers(args)
    app, endpoint = start_edge(args.site, args.db, args.mqtt_url, resend_after=args.resend_after,
                               seed_path=args.seed, device_auth=args.device_auth, lease_minutes=args.lease_minutes,
                               devices_path=args.devices, mqtt_username=args.mqtt_username, mqtt_password=password,
                               outbox_budget_mb=args.outbox_budget_mb, outbox_retention_hours=args.outbox_retention_hours,
                               mqtt_ca_file=args.mqtt_ca_file, secure_cookies=args.secure_cookies)
    # A site has hundreds of handhelds, each keeping a connection open (waitress allows 100 by default).
    server = create_server(app, host=args.host, port=args.port, threads=8, connection_limit=1000)
    stopping = threading.Event()

    def stop(signum, _frame) -> None:
        if not stopping.is_set():
            stopping.set()
            log.info("signal %s: stopping", signum)
            server.close()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    log.info("edge %s serving on http://%s:%s", args.site, args.host, args.port)
    try:
        server.run()
    except (OSError, ValueError):
        if not stopping.is_set():
            raise  # closing the listening socket ends run() with one of these; anything else is real
    finally:
        stop_edge(app, endpoint)  # ends the print worker, then publishes the retained offline state
        log.info("edge %s stopped", args.site)
    return 0


SYNC_FLAGS = ("site", "db", "mqtt_url", "resend_after", "devices", "mqtt_username", "mqtt_password_file",
              "mqtt_ca_file", "outbox_budget_mb", "outbox_retention_hours")


def serve_with_workers(args: argparse.Namespace) -> int:
    """Serve HTTP from granian worker processes; sync, printing and the handheld's writes run in one site agent."""
    from edge.bootstrap import prepare_site
    from edge.adapters.command_writer import WRITER_ENV, new_writer_settings
    from edge.serving import serve_workers, start_agent, stop_agent

    prepare_site(args.site, args.db, args.seed, args.devices)  # once, before any worker or the agent starts
    agent_args = []
    for flag in SYNC_FLAGS:
        value = getattr(args, flag)
        if value is not None:
            agent_args += ["--" + flag.replace("_", "-"), str(value)]
    writer = new_writer_settings()
    os.environ[WRITER_ENV] = json.dumps(writer)  # the agent serves hot commands to the workers on it
    agent = start_agent(agent_args)
    settings = {"command_writer": writer, "site_id": args.site, "db_path": args.db, "device_auth": args.device_auth,
                "lease_minutes": args.lease_minutes, "devices_path": args.devices,
                "secure_cookies": args.secure_cookies, "outbox_budget_mb": args.outbox_budget_mb}
    log.info("edge %s serving on http://%s:%s: %d HTTP worker process(es) and the site agent", args.site, args.host,
             args.port, args.workers - 1)
    serving = os.getpid()
    try:
        serve_workers(settings, args.host, args.port, http_processes=args.workers - 1)
    finally:
        if os.getpid() == serving:  # only the serving process owns the agent, never a worker leaving
            stop_agent(agent)
            log.info("edge %s stopped", args.site)
    return 0


def agent(args: argparse.Namespace) -> int:
    from edge.serving import end_with_serving_process
    from edge.site_agent import run_site_agent

    password = read_password_file(args.mqtt_password_file) if args.mqtt_password_file else None
    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    end_with_serving_process()  # after the handler: a SIGTERM from the kernel stops the agent in good order
    run_site_agent(args.site, args.db, args.mqtt_url, stopping, resend_after=args.resend_after,
                   mqtt_username=args.mqtt_username, mqtt_password=password, mqtt_ca_file=args.mqtt_ca_file,
                   outbox_budget_mb=args.outbox_budget_mb, outbox_retention_hours=args.outbox_retention_hours,
                   devices_path=args.devices)
    return 0


def seed(args: argparse.Namespace) -> int:
    from edge.bootstrap import seed_site

    result = seed_site(args.db, args.site, args.file)
    print(f"seeded {args.site} from {args.file}: {result}")
    return 0


def enrolment_code(args: argparse.Namespace) -> int:
    from edge.bootstrap import create_enrolment_code

    result = create_enrolment_code(args.db, args.site, args.minutes)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"enrolment code for {result['site_id']}: {result['enrolment_code']} "
              f"(single use, valid until {result['expires_at']})")
    return 0


def revoke_device(args: argparse.Namespace) -> int:
    from edge.bootstrap import revoke_device as revoke

    result = revoke(args.db, args.site, args.device_id)
    state = "revoked" if result["changed"] else "was already revoked"
    print(f"device {result['device_id']} {state} at {result['revoked_at']}")
    return 0


def add_user(args: argparse.Namespace) -> int:
    from edge.bootstrap import add_staff_user

    password = read_password_file(args.password_file, "password") if args.password_file else secrets.token_urlsafe(12)
    result = add_staff_user(args.db, args.site, args.username, args.role, password, args.name)
    print(f"added {result['role']} {result['username']} at {args.site}"
          + ("" if args.password_file else f"; password (shown once): {password}"))
    return 0


def release_wave(args: argparse.Namespace) -> int:
    from edge.adapters.migrations import init_database
    from edge.bootstrap import build_bus
    from edge.domain.batch_errors import NothingToWave
    from edge.service.batch_commands import ReleaseWave

    init_database(args.db, args.site)
    try:
        result = build_bus(args.db).handle(ReleaseWave(args.cart_slots, (), args.ship_by or "", args.max_priority,
                                                       args.max_orders, "wes-edge release-wave", "rule run"))
    except NothingToWave as err:
        result = {"wave_id": None, "batches": [], "message": err.message}
    print(json.dumps(result) if args.json else result["message"])
    return 0


COMMANDS = {"release-wave": release_wave, "add-user": add_user, "agent": agent, "serve": serve, "seed": seed, "enrolment-code": enrolment_code, "revoke-device": revoke_device}


def main(argv: list[str] | None = None) -> int:
    """Run the wes-edge command line."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except (SeedFileError, WrongSite, ValueError) as err:
        print(f"wes-edge: {err}", file=sys.stderr)
        return 2
    except DomainError as err:
        print(f"wes-edge: {err.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
