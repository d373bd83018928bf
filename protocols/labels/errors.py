"""The one exception label building raises."""


class LabelError(ValueError):
    """Raise when a label cannot be built safely; str(err) says what to fix."""
