"""The one barcode resolver: every scan on the handheld or the edge goes through classify()."""
from .errors import BarcodeError
from .matching import matches_item, matches_location
from .scan import BADGE, GS1, GTIN, ITEM, LOCATION, SSCC, Scan, classify

__all__ = ["BADGE", "GS1", "GTIN", "ITEM", "LOCATION", "SSCC", "BarcodeError", "Scan", "classify",
           "matches_item", "matches_location"]
