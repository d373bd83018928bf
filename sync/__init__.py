"""Edge ⇄ centre sync: durable outbox, batches, app-level acks, dedupe, resume (see docs/sync.md)."""
