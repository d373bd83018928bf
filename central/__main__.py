"""Command line of the centre: `wes-central serve`, `ingest-worker`, `seed` and `import-orders`."""
import argparse
import logging
import signal
import sys

log = logging.getLogger("central")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wes-central", description="Central order and inventory hub of the WES.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the API and the sync endpoint",
                                description="Serve the HTTP API (waitress) and sync with sites over MQTT.")
    serve.add_argument("--db", default="central.db", help="SQLite database file (default: %(default)s)")
    serve.add_argument("--mqtt-url", default="mqtt://127.0.0.1:1883", help="broker URL (default: %(default)s)")
    serve.add_argument("--host", default="127.0.0.1", help="HTTP listen address (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="HTTP port (default: %(default)s)")
    serve.add_argument("--seed", metavar="FILE", help="load sites and items from this catalogue file first")
    serve.add_argument("--mqtt-username", help="broker login (see wes-mqtt-access; the centre's is 'central')")
    serve.add_argument("--mqtt-password-file", metavar="FILE", help="file holding the broker password")
    serve.add_argument("--mqtt-ca-file", metavar="FILE",
                       help="CA certificate that signed the broker's (for mqtts:// URLs, e.g. from wes-mqtt-access --tls)")
    serve.add_argument("--resend-after", type=float, default=30.0,
                       help="seconds without an ack before commands are resent (default: %(default)s)")
    serve.add_argument("--no-ingest", action="store_true",
                       help="serve the API only; `wes-central ingest-worker` processes sync with the sites")

    worker = commands.add_parser(
        "ingest-worker", help="ingest site events as one of several workers (MQTT shared subscription)",
        description="Ingest the sites' events as one of several workers sharing `$share/ingest/wes/v1/+/up/events`. "
                    "Each event is applied exactly once and in order whichever worker gets it; the worker holding "
                    "the leader lease also streams commands to the sites. Run `serve --no-ingest` for the API.")
    worker.add_argument("--db", default="central.db", help="database of the centre, shared by all workers "
                        "(default: %(default)s)")
    worker.add_argument("--mqtt-url", default="mqtt://127.0.0.1:1883", help="broker URL (default: %(default)s)")
    worker.add_argument("--worker-id", required=True, help="this worker's name, unique among the workers (e.g. 1)")
    worker.add_argument("--mqtt-username", help="broker login (see wes-mqtt-access; the centre's is 'central')")
    worker.add_argument("--mqtt-password-file", metavar="FILE", help="file holding the broker password")
    worker.add_argument("--mqtt-ca-file", metavar="FILE", help="CA certificate that signed the broker's (mqtts://)")
    worker.add_argument("--resend-after", type=float, default=30.0,
                        help="seconds without an ack before commands are resent (default: %(default)s)")
    worker.add_argument("--lease-seconds", type=float, default=5.0,
                        help="leader lease: another worker takes over this long after the leader dies "
                             "(default: %(default)s)")
    worker.add_argument("--reorder-timeout", type=float, default=5.0,
                        help="seconds a batch waits parked for the one before it, then a resend is asked "
                             "(default: %(default)s)")

    seed = commands.add_parser("seed", help="load sites and items from a catalogue file (idempotent)",
                               description="Create missing sites and items, update changed ones.")
    seed.add_argument("--db", required=True, help="SQLite database file")
    seed.add_argument("--file", required=True, help="catalogue JSON: {\"sites\": [...], \"items\": [...]}")

    imports = commands.add_parser(
        "import-orders", help="import orders from a CSV file, with a progress bar and a per-row error report",
        description="Import orders from CSV (one row per order line; see docs/central.md for the columns). Each "
                    "order is imported whole or not at all. Exit status: 0 all imported, 1 some orders refused "
                    "(see the report), 2 the file could not be read.")
    imports.add_argument("--db", required=True, help="SQLite database file of the centre")
    imports.add_argument("--file", required=True, help="the CSV file")
    imports.add_argument("--operator", default="", help="who imports (kept with the import and on held orders)")
    return parser


def seed(db_path: str, path: str) -> dict:
    """Load a catalogue file into the database; return what changed."""
    from central.adapters.catalogue_file import load_catalogue
    from central.bootstrap import bootstrap_bus, migrate

    cmd = load_catalogue(path)
    migrate(db_path)
    return bootstrap_bus(db_path).handle(cmd)


def read_secret(path: str) -> str:
    """Read a one-line secret from a file (never from the command line, where ps would show it)."""
    try:
        return open(path, encoding="utf-8").read().strip()
    except OSError as err:
        raise ValueError(f"cannot read the password file {path}: {err.strerror}") from None


def serve(args: argparse.Namespace) -> None:
    """Run waitress and the hub endpoint until SIGINT or SIGTERM, then stop both cleanly."""
    import waitress

    from central.bootstrap import build_central

    if args.seed:
        log.info("seeded %s", seed(args.db, args.seed))
    password = read_secret(args.mqtt_password_file) if args.mqtt_password_file else None
    central = build_central(args.db, args.mqtt_url, resend_after=args.resend_after,
                            username=args.mqtt_username, password=password, ca_file=args.mqtt_ca_file,
                            ingest=not args.no_ingest)
    server = waitress.create_server(central.app, host=args.host, port=args.port, threads=8)

    def stop(signum, frame):
        raise KeyboardInterrupt  # waitress's loop returns on it, then we stop the endpoint

    signal.signal(signal.SIGTERM, stop)
    if central.endpoint:
        central.endpoint.start()
    log.info("serving on http://%s:%s, %s", args.host, args.port,
             f"syncing via {args.mqtt_url}" if central.endpoint else "ingest workers sync with the sites")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        log.info("stopping")
        server.close()
        if central.endpoint:
            central.endpoint.stop()  # publishes our offline state before disconnecting


def run_ingest_worker(args: argparse.Namespace) -> None:
    """Run one ingest worker until SIGINT or SIGTERM, then leave the pool cleanly."""
    import threading

    from central.bootstrap import build_ingest_worker

    password = read_secret(args.mqtt_password_file) if args.mqtt_password_file else None
    worker = build_ingest_worker(args.db, args.mqtt_url, args.worker_id, resend_after=args.resend_after,
                                 lease_ttl=args.lease_seconds, reorder_timeout=args.reorder_timeout,
                                 username=args.mqtt_username, password=password, ca_file=args.mqtt_ca_file)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    worker.start()
    log.info("ingest worker %s syncing via %s", args.worker_id, args.mqtt_url)
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        log.info("stopping")
        worker.stop()


def main(argv: list[str] | None = None) -> int:
    """Run the wes-central command line."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "import-orders":
            from central.order_import_cli import run_import
            return run_import(args.db, args.file, args.operator)
        if args.command == "ingest-worker":
            run_ingest_worker(args)
        elif args.command == "seed":
            print(f"seeded {args.file} into {args.db}: {seed(args.db, args.file)}")
        else:
            serve(args)
    except ValueError as err:
        print(f"wes-central: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
