"""Scanner profiles per vendor: how each scanner must be set up, and how its link is framed.

A profile is documentation that code can use: the driver takes its suffix, GS handling and AIM
expectation; `setup` is what an integrator sends (or scans from the vendor's programming sheet) once.
"""
from dataclasses import dataclass

from .honeywell import MenuSetting, menu_command
from .ssi import param_send

GS_ASCII29 = "ascii29"         # GS arrives as byte 0x1D (serial, SSI, intents)
GS_SUBSTITUTE = "substitute"   # a keyboard wedge cannot type 0x1D: the scanner sends gs_substitute instead

# Zebra parameter numbers (SSI PARAM_SEND), from the scanners' product reference guides.
ZEBRA_TRANSMIT_CODE_ID = 0x2D      # 0 none, 1 AIM code id, 2 Symbol code id
ZEBRA_DECODE_PACKET_FORMAT = 0xEE  # 0 raw decode data, 1 packeted DECODE_DATA
HONEYWELL_SETUP = [
    MenuSetting("PRE", "CA2"),              # clear all prefixes
    MenuSetting("PRE", "BK2", "995C81"),    # all symbologies (99): AIM id (\81) as prefix
    MenuSetting("SUF", "CA2"),              # clear all suffixes
    MenuSetting("SUF", "BK2", "990D0A"),    # all symbologies: CR LF suffix
]


@dataclass(frozen=True)
class ScannerProfile:
    """How one kind of scanner is set up and read."""

    name: str
    vendor: str
    link: str                      # "ssi", "serial-line", "keyboard-wedge" or "android-intent"
    symbologies: tuple[str, ...]   # to enable; everything else off, so a stray barcode is not read
    suffix: bytes                  # b"" when the link has its own framing (SSI packets, intents)
    gs_handling: str
    aim_ids: bool                  # the scanner sends AIM ids itself
    setup: str                     # what to configure, in words
    gs_substitute: str | None = None
    setup_bytes: bytes = b""       # one message that applies `setup` over the serial link, when there is one


WAREHOUSE_SYMBOLOGIES = ("GS1-128", "Code 128", "EAN-13/UPC-A", "EAN-8", "GS1 DataMatrix", "GS1 QR", "GS1 DataBar")

PROFILES = {p.name: p for p in (
    ScannerProfile(
        "zebra-ssi", "Zebra", "ssi", WAREHOUSE_SYMBOLOGIES, b"", GS_ASCII29, True,
        "Scan 'SSI host' from the product reference guide, then send setup_bytes (PARAM_SEND, permanent): "
        "transmit AIM code ids, packeted DECODE_DATA. The host ACKs every packet.",
        setup_bytes=param_send({ZEBRA_TRANSMIT_CODE_ID: 1, ZEBRA_DECODE_PACKET_FORMAT: 1}, permanent=True).encode()),
    ScannerProfile(
        "zebra-serial", "Zebra", "serial-line", WAREHOUSE_SYMBOLOGIES, b"\r\n", GS_ASCII29, True,
        "Scan 'Standard RS-232' (or USB CDC), 'Transmit Code ID: AIM', suffix 'CR LF', and 'FNC1 as GS (0x1D)'."),
    ScannerProfile(
        "honeywell-serial", "Honeywell", "serial-line", WAREHOUSE_SYMBOLOGIES, b"\r\n", GS_ASCII29, True,
        "Send setup_bytes (SYN M CR menu command, permanent): AIM id prefix and CR LF suffix for all "
        "symbologies. Every command must come back with ACK.",
        setup_bytes=menu_command(HONEYWELL_SETUP, permanent=True)),
    ScannerProfile(
        "keyboard-wedge", "any", "keyboard-wedge", WAREHOUSE_SYMBOLOGIES, b"\r", GS_SUBSTITUTE, True,
        "USB HID keyboard: suffix Enter, AIM id prefix on, and map FNC1/GS to '<GS>' because a keyboard "
        "cannot type 0x1D; without that, '10LOT42' + '17261231' silently read as one lot.",
        gs_substitute="<GS>"),
    ScannerProfile(
        "zebra-datawedge", "Zebra", "android-intent", WAREHOUSE_SYMBOLOGIES, b"", GS_ASCII29, False,
        "DataWedge profile: Intent output on, action com.wes.handheld.SCAN, delivery 'Broadcast intent'; "
        "Keystroke output off. label_type gives the symbology; FNC1 after the first arrives as GS."),
    ScannerProfile(
        "honeywell-android", "Honeywell", "android-intent", WAREHOUSE_SYMBOLOGIES, b"", GS_ASCII29, True,
        "Data Collection Profile: Data Intent on, action com.wes.handheld.SCAN (ACTION_BARCODE_READ_EVENT "
        "extras data, aimId, codeId, dataBytes); Keyboard wedge off."),
)}


def profile(name: str) -> ScannerProfile:
    """Return the named profile or raise ValueError listing the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown scanner profile {name!r}; known: {', '.join(sorted(PROFILES))}") from None
