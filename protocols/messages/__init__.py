"""Versioned wire messages between edge and centre (marshmallow 4 schemas)."""
