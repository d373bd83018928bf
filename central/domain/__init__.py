"""Pure domain model of the centre: orders, allocation rule, domain errors (no I/O, no clock)."""
