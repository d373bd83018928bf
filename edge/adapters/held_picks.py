"""Which pick tasks wait: the SQL condition the task queries share with counts and replenishment."""
from edge.domain.batching import BATCH_LIVE
from edge.domain.counts import COUNT_ASSIGNED
from edge.domain.replenishment import REPLEN_LIVE

LIVE_REPLEN = ",".join(f"'{s}'" for s in REPLEN_LIVE)

PICKS_NOT_HELD = (
    # A pick waits while its location is being counted, and while its pick face has a replenishment open.
    f"NOT EXISTS (SELECT 1 FROM count_tasks c WHERE c.location = t.location AND c.status = '{COUNT_ASSIGNED}')"
    f" AND NOT EXISTS (SELECT 1 FROM replenishments r WHERE r.to_location = t.location AND r.sku = t.sku"
    f"  AND r.status IN ({LIVE_REPLEN}))")
"""SQL condition on a pick task aliased `t`: true when nothing holds it back (used by the task queries)."""

NOT_IN_LIVE_BATCH = (
    "NOT EXISTS (SELECT 1 FROM batch_slots bs JOIN batches b ON b.batch_id = bs.batch_id"
    f" WHERE bs.order_id = t.order_id AND b.status IN ({','.join(repr(s) for s in BATCH_LIVE)}))")
"""SQL condition on a pick task aliased `t`: its order is in no open or picking batch, so single picking may take it."""
