"""Edge device layer: printer registry, durable print queue, SSCC issue, label preview and the wes-devices CLI."""
