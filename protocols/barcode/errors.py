"""The one exception a scan can raise."""


class BarcodeError(ValueError):
    """Raise when a scan cannot be resolved; str(err) is operator-readable text."""
