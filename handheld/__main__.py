"""Run the picker's handheld app: python -m handheld --edge-url URL --device-id ID."""
import argparse
import logging
import os


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m handheld",
                                     description="The picker's handheld app (Kivy), offline-first.")
    parser.add_argument("--edge-url", default="http://127.0.0.1:8001", help="base URL of the site's edge server")
    parser.add_argument("--device-id", default="HH-01", help="this handheld's id, sent with every sign-in")
    parser.add_argument("--db", default="handheld.db", help="device SQLite file (session, cached tasks, op queue)")
    parser.add_argument("--size", default="480x800", help="window size WIDTHxHEIGHT (portrait on a desktop)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # else Kivy parses our flags as its own
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from kivy.config import Config
    width, height = args.size.split("x")
    Config.set("graphics", "width", width)
    Config.set("graphics", "height", height)
    from .main import HandheldApp
    HandheldApp(args.edge_url, args.device_id, args.db).run()


if __name__ == "__main__":
    main()
