"""Use cases of the edge: one handler per command, each one transaction."""
