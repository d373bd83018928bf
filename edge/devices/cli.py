"""wes-devices: the hardware integrator's tools (printers, preview, print-test, status, test-scan)."""
import argparse
import logging
import sys
import time
from pathlib import Path

import serial

from protocols.barcode import BarcodeError, classify
from protocols.devices.host_status import StatusParseError, parse_hs
from protocols.devices.transports import NotDelivered, PrinterIOError, transport_for_url
from protocols.labels import LabelSize, PrinterResolution

from .preview import RendererFailed, RendererUnavailable, render_png
from .registry import RegistryError, load_device_config
from .sample_labels import KINDS, sample_label

SILENT_PRINTER = ("no status reply: the printer is off or unreachable, or it is out of paper/ribbon or its "
                  "head is open (Zebras stay silent then). Check the printer's panel.")


def cmd_printers(args) -> int:
    """List the printers of the devices config."""
    config = load_device_config(args.config)
    print(f"site {config.site_id}")
    for p in config.printers.values():
        print(f"{p.name:12} {p.url:28} {p.dpi} dpi {p.width_mm}x{p.height_mm} mm  station={p.station or '-'}"
              f"  fallback={p.fallback or '-'}")
    return 0


def cmd_devices(args) -> int:
    """List printers with their live ~HS status and scanners with whether their port is present."""
    from .device_status import scanner_port_state
    from .dispatcher import extended_errors

    config, healthy = load_device_config(args.config), True
    print(f"site {config.site_id}")
    for p in config.printers.values():
        ready, words = printer_check(p.url, args.timeout, extended_errors)
        healthy &= ready
        print(f"printer {p.name:12} {p.url:28} {words}")
    for s in config.scanners.values():
        port = scanner_port_state(s)
        healthy &= port != "missing"
        print(f"scanner {s.name:12} {s.url:28} port {port}  profile={s.profile}  station={s.station or '-'}")
    return 0 if healthy else 1


def printer_check(url: str, timeout: float, extended_errors) -> tuple[bool, str]:
    """Return (ready, words) for one printer: ~HS, then ~HQES to name what stops it."""
    transport = transport_for_url(url, connect_timeout=timeout, io_timeout=timeout)
    try:
        status = parse_hs(transport.query(b"~HS", 3))
    except NotDelivered as err:
        return False, f"OFFLINE: {err}"
    except (PrinterIOError, StatusParseError):
        status = None
    if status is not None and status.ready:
        return True, "READY"
    named = extended_errors(transport)
    if named:
        return False, f"NOT READY: {named}"
    return False, f"NOT READY: {', '.join(status.problems)}" if status else f"SILENT: {SILENT_PRINTER}"


def cmd_preview(args) -> int:
    """Render a sample label (or a ZPL file) to PNG with the offline renderer."""
    resolution = PrinterResolution(args.dpi)
    if args.zpl:
        zpl, size = Path(args.zpl).read_text(encoding="utf-8"), LabelSize(args.width_mm, args.height_mm)
    else:
        zpl, size = sample_label(args.label, resolution)
    Path(args.out).write_bytes(render_png(zpl, size, resolution))
    print(f"wrote {args.out} ({size.width_mm} x {size.height_mm} mm at {args.dpi} dpi)")
    return 0


def cmd_print_test(args) -> int:
    """Send one sample label straight to a printer (not through the queue)."""
    config = load_device_config(args.config)
    printer = config.printer(args.printer)
    zpl, _ = sample_label(args.label, printer.resolution, printer.size if args.label == "logistic" else None)
    transport_for_url(printer.url, io_timeout=args.timeout).send(zpl.encode("utf-8"))
    print(f"sent a {args.label} test label to {printer.name} ({printer.url})")
    return 0


def cmd_status(args) -> int:
    """Ask a printer for ~HS and show what stops it printing."""
    url = args.url or load_device_config(args.config).printer(args.printer).url
    try:
        status = parse_hs(transport_for_url(url, io_timeout=args.timeout).query(b"~HS", 3))
    except PrinterIOError as err:
        print(f"{url}: {SILENT_PRINTER} ({err})")
        return 1
    except StatusParseError as err:
        print(f"{url}: the reply is not ZPL host status ({err}); is the printer in ZPL mode?")
        return 1
    print(f"{url}: {'READY' if status.ready else 'NOT READY: ' + ', '.join(status.problems)}")
    print(f"  formats in buffer {status.formats_in_buffer}, label length {status.label_length_dots} dots, "
          f"labels remaining {status.labels_remaining}, partial format {status.partial_format}")
    return 0 if status.ready else 1


def cmd_test_scan(args) -> int:
    """Read scans from a serial scanner; show the exact bytes and how they resolve."""
    port = serial.serial_for_url(args.url, baudrate=args.baud, parity=args.parity, timeout=0.1)
    print(f"listening on {args.url} at {args.baud} baud; scan a barcode (Ctrl+C to stop)", flush=True)
    buffer, seen, deadline = b"", 0, time.monotonic() + args.seconds
    try:
        while time.monotonic() < deadline and (args.count == 0 or seen < args.count):
            buffer += port.read(256)
            while b"\r" in buffer or b"\n" in buffer:
                cut = min(i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i != -1)
                frame, buffer = buffer[:cut], buffer[cut + 1:].lstrip(b"\r\n")
                if frame:
                    seen += 1
                    show_scan(frame)
    except KeyboardInterrupt:
        pass
    finally:
        port.close()
    if buffer:
        print(f"unterminated bytes (no CR/LF suffix?): {buffer!r}")
    return 0 if seen else 1


def show_scan(frame: bytes) -> None:
    """Print one framed scan byte for byte, then its resolution."""
    print(f"bytes: {frame!r}")
    print("hex:   " + frame.hex(" "))
    try:
        scan = classify(frame.decode("utf-8", errors="replace"))
        print(f"  -> {scan.kind} {scan.value} symbology={scan.symbology or 'none'} gs1={scan.gs1 or {}}")
    except BarcodeError as err:
        print(f"  -> refused: {err}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wes-devices", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("printers", help="list the configured printers")
    p.add_argument("--config", required=True, help="devices config file (JSON, see docs/devices.md)")
    p.set_defaults(run=cmd_printers)
    p = sub.add_parser("devices", help="list printers (live ~HS status) and scanners (port present)")
    p.add_argument("--config", required=True, help="devices config file (JSON, see docs/devices.md)")
    p.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for each printer")
    p.set_defaults(run=cmd_devices)
    p = sub.add_parser("preview", help="render a label to PNG offline")
    p.add_argument("--label", choices=KINDS, default="logistic", help="sample label to render")
    p.add_argument("--zpl", help="render this ZPL file instead of a sample label")
    p.add_argument("--dpi", type=int, default=203, choices=(203, 300, 600))
    p.add_argument("--width-mm", type=float, default=101.6, help="label width for --zpl")
    p.add_argument("--height-mm", type=float, default=152.4, help="label height for --zpl")
    p.add_argument("--out", required=True, help="PNG file to write")
    p.set_defaults(run=cmd_preview)
    p = sub.add_parser("print-test", help="send a sample label to a printer")
    p.add_argument("--config", required=True, help="devices config file")
    p.add_argument("--printer", required=True, help="printer name from the config")
    p.add_argument("--label", choices=KINDS, default="logistic")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the printer")
    p.set_defaults(run=cmd_print_test)
    p = sub.add_parser("status", help="show a printer's ~HS status")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="tcp://host:9100 or a serial URL")
    target.add_argument("--printer", help="printer name from --config")
    p.add_argument("--config", help="devices config file (with --printer)")
    p.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for the reply")
    p.set_defaults(run=cmd_status)
    p = sub.add_parser("test-scan", help="show what a serial scanner sends and how it resolves")
    p.add_argument("--url", required=True, help="serial port or pyserial URL, e.g. /dev/ttyACM0")
    p.add_argument("--baud", type=int, default=9600)
    p.add_argument("--parity", choices=("N", "E", "O"), default="N")
    p.add_argument("--count", type=int, default=0, help="stop after this many scans (0 = no limit)")
    p.add_argument("--seconds", type=float, default=60.0, help="stop listening after this long")
    p.set_defaults(run=cmd_test_scan)
    add_scanners_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one wes-devices subcommand; problems end with a one-line message and exit status 2."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    if getattr(args, "printer", None) and not getattr(args, "config", None):
        print("wes-devices: --printer needs --config", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except (RegistryError, RendererUnavailable, RendererFailed, PrinterIOError, serial.SerialException, OSError,
            ValueError) as err:
        print(f"wes-devices {args.command}: {err}", file=sys.stderr)
        return 2


def cmd_scanner_profiles(args) -> int:
    """List the scanner profiles: link, suffix, GS handling, AIM ids and how to set each up."""
    from protocols.devices.scanners import PROFILES

    for p in PROFILES.values():
        print(f"{p.name:18} {p.vendor:9} link={p.link:14} suffix={p.suffix!r:8} gs={p.gs_handling:10} "
              f"aim_ids={'yes' if p.aim_ids else 'no'}")
        print(f"  symbologies: {', '.join(p.symbologies)}")
        print(f"  setup: {p.setup}")
        if p.setup_bytes:
            print(f"  setup bytes: {p.setup_bytes.hex(' ')}")
    return 0


def cmd_scanner_listen(args) -> int:
    """Run the scanner driver on a port with a profile; print each scan byte for byte and its resolution."""
    import threading

    from protocols.devices.scanners import profile

    from .serial_scanner import SerialScannerDriver

    chosen, seen, done = profile(args.profile), [], threading.Event()

    def on_read(read) -> None:
        seen.append(read)
        print(f"bytes: {read.frame.raw!r}\nhex:   {read.frame.raw.hex(' ')}")
        print(f"  -> {read.scan.kind} {read.scan.value} symbology={read.scan.symbology or 'none'} "
              f"gs1={read.scan.gs1 or {}}" if read.scan else f"  -> refused: {read.error}", flush=True)
        if args.count and len(seen) >= args.count:
            done.set()

    driver = SerialScannerDriver.for_profile(args.url, chosen, on_read, baudrate=args.baud, parity=args.parity)
    driver.start()
    print(f"listening on {args.url} ({chosen.name}); scan a barcode (Ctrl+C to stop)", flush=True)
    try:
        done.wait(args.seconds)
    except KeyboardInterrupt:
        pass
    finally:
        driver.stop()
    if not driver.opens:
        print(f"never opened {args.url}: {driver.last_error}")
    return 0 if seen else 1


def add_scanners_command(sub) -> None:
    """Register `wes-devices scanners profiles|listen`."""
    scanners = sub.add_parser("scanners", help="scanner profiles, and a driver run on a serial scanner")
    actions = scanners.add_subparsers(dest="scanners_command", required=True)
    p = actions.add_parser("profiles", help="list scanner profiles and how to set each scanner up")
    p.set_defaults(run=cmd_scanner_profiles)
    p = actions.add_parser("listen", help="read scans through the driver (SSI or line framing), with reconnect")
    p.add_argument("--url", required=True, help="serial port or pyserial URL, e.g. /dev/serial/by-id/...")
    p.add_argument("--profile", default="zebra-serial", help="scanner profile (see `scanners profiles`)")
    p.add_argument("--baud", type=int, default=9600)
    p.add_argument("--parity", choices=("N", "E", "O"), default="N")
    p.add_argument("--count", type=int, default=0, help="stop after this many scans (0 = no limit)")
    p.add_argument("--seconds", type=float, default=60.0, help="stop listening after this long")
    p.set_defaults(run=cmd_scanner_listen)


if __name__ == "__main__":
    sys.exit(main())
