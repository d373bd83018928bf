"""Use cases of the centre: commands, handlers, the unit of work port and the message bus."""
