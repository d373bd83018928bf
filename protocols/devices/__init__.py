"""Printer protocols: pure framing and status codecs, plus thin TCP 9100 / serial transports."""
from .host_status import HostStatus, PrinterFlags, parse_hqes, parse_hs
from .zpl_stream import StxEtxFramer, ZplStreamSplitter

__all__ = ["HostStatus", "PrinterFlags", "StxEtxFramer", "ZplStreamSplitter", "parse_hqes", "parse_hs"]
