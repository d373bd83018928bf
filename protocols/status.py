"""The one status vocabulary every site and the centre use (see docs/statuses.md)."""

# Order lifecycle, end to end. `short` means every task is done and at least one line
# could not be picked in full; a short order can still be packed and shipped.
ORDER_RECEIVED = "received"
ORDER_ALLOCATED = "allocated"
ORDER_RELEASED = "released"
ORDER_PICKING = "picking"
ORDER_PICKED = "picked"
ORDER_SHORT = "short"
ORDER_PACKED = "packed"
ORDER_SHIPPED = "shipped"
ORDER_CANCELLED = "cancelled"

ORDER_STATUSES = (
    ORDER_RECEIVED, ORDER_ALLOCATED, ORDER_RELEASED, ORDER_PICKING, ORDER_PICKED,
    ORDER_SHORT, ORDER_PACKED, ORDER_SHIPPED, ORDER_CANCELLED,
)

# Pick task lifecycle at a site.
TASK_OPEN = "open"                # released, nobody working it
TASK_ASSIGNED = "assigned"        # handed to a picker by "next task"
TASK_AT_LOCATION = "at_location"  # picker scanned the right location
TASK_PICKED = "picked"            # full quantity picked
TASK_SHORT = "short"              # closed with less than asked, reason recorded
TASK_CANCELLED = "cancelled"

TASK_STATUSES = (TASK_OPEN, TASK_ASSIGNED, TASK_AT_LOCATION, TASK_PICKED, TASK_SHORT, TASK_CANCELLED)
TASK_DONE = (TASK_PICKED, TASK_SHORT, TASK_CANCELLED)
