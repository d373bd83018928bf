"""Android scanner intents (Zebra DataWedge, Honeywell) to one raw scan string with its AIM id, then a Scan.

Pure: the broadcast receiver (Java or pyjnius) copies the intent's extras into a dict and calls this.
"""
from collections.abc import Mapping

from protocols.barcode import Scan, classify
from protocols.barcode.symbology import AIM_PREFIX, GS

DW = "com.symbol.datawedge."
DW_DATA, DW_LABEL_TYPE, DW_DECODE_DATA, DW_SOURCE = (DW + "data_string", DW + "label_type",
                                                     DW + "decode_data", DW + "source")
HON_DATA, HON_AIM, HON_BYTES, HON_CHARSET = "data", "aimId", "dataBytes", "charset"

# DataWedge label types -> AIM identifier. GS1 variants are told apart by a leading FNC1 (GS) below.
AIM_BY_LABEL_TYPE = {
    "LABEL-TYPE-EAN128": "]C1", "LABEL-TYPE-GS1-128": "]C1", "LABEL-TYPE-CODE128": "]C0",
    "LABEL-TYPE-EAN13": "]E0", "LABEL-TYPE-UPCA": "]E0", "LABEL-TYPE-EAN8": "]E4",
    "LABEL-TYPE-DATAMATRIX": "]d1", "LABEL-TYPE-GS1-DATAMATRIX": "]d2",
    "LABEL-TYPE-QRCODE": "]Q1", "LABEL-TYPE-GS1-QRCODE": "]Q3",
    "LABEL-TYPE-GS1-DATABAR": "]e0", "LABEL-TYPE-GS1-DATABAR-EXP": "]e0", "LABEL-TYPE-GS1-DATABAR-LIM": "]e0",
    "LABEL-TYPE-CODE39": "]A0", "LABEL-TYPE-I2OF5": "]I0", "LABEL-TYPE-PDF417": "]L2",
}
# A symbol whose data starts with FNC1 is GS1: the plain AIM id becomes its GS1 twin.
GS1_TWIN = {"]C0": "]C1", "]d1": "]d2", "]Q1": "]Q3"}


class IntentError(ValueError):
    """Raise when an intent carries no scan data; str(err) says which extras were missing."""


def intent_extras_to_raw(extras: Mapping) -> str:
    """Return the scan as raw text, AIM id first when the intent says (or implies) the symbology."""
    if DW_DATA in extras or DW_DECODE_DATA in extras:
        data = _text(extras.get(DW_DATA), extras.get(DW_DECODE_DATA), "utf-8")
        aim = AIM_BY_LABEL_TYPE.get(str(extras.get(DW_LABEL_TYPE, "")).upper())
    elif HON_DATA in extras or HON_BYTES in extras:
        data = _text(extras.get(HON_DATA), extras.get(HON_BYTES), str(extras.get(HON_CHARSET) or "utf-8"))
        aim = extras.get(HON_AIM) or None
        aim = aim if aim and AIM_PREFIX.match(aim) else None
    else:
        raise IntentError("the intent has no scan data: expected DataWedge "
                          f"'{DW_DATA}' or Honeywell '{HON_DATA}' extras; check the scanner profile's intent output")
    if AIM_PREFIX.match(data):  # the profile already sends AIM ids: trust the scanner's own
        return data
    if aim is None:
        return data
    if data.startswith(GS):
        aim = GS1_TWIN.get(aim, aim)
    return aim + data


def intent_extras_to_scan(extras: Mapping, gs_substitute: str | None = None) -> Scan:
    """Resolve an Android scan intent's extras through classify(); raise IntentError or BarcodeError."""
    return classify(intent_extras_to_raw(extras), gs_substitute)


def _text(string, raw, encoding: str) -> str:
    if isinstance(string, str) and string:
        return string
    if raw:  # DataWedge decode_data is a list of byte arrays (one per symbol); Honeywell dataBytes is one
        single = isinstance(raw, (bytes, bytearray)) or isinstance(raw[0], int)
        joined = b"".join(_bytes(c) for c in ([raw] if single else raw))
        try:
            return joined.decode(encoding, errors="replace")
        except LookupError:
            return joined.decode("utf-8", errors="replace")
    raise IntentError("the scan intent's data extra is empty")


def _bytes(chunk) -> bytes:
    """Accept bytes or a Java byte[] seen from Python as signed ints (-128..127)."""
    if isinstance(chunk, (bytes, bytearray)):
        return bytes(chunk)
    return bytes(b & 0xFF for b in chunk)
