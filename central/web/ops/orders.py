"""Orders end to end: a filtered list (live), and one order with its lines, parts, history and site events."""
from flask import abort, request

from central.adapters import ops_forecast, ops_queries
from central.domain.orders import CENTRAL_ONLY_STATUSES
from protocols.status import ORDER_STATUSES

from . import ops, settings
from .reads import BadArgument, now, page, reading, whole_number

PAGE_SIZE = 50
STATUSES = (*ORDER_STATUSES, *CENTRAL_ONLY_STATUSES)


def order_filters(site_ids: list[str]) -> dict:
    """Read the list's filters from the query string, refusing values that match nothing."""
    status = request.args.get("status", "").strip()
    site = request.args.get("site", "").strip()
    customer = request.args.get("customer", "").strip()
    if status and status not in STATUSES:
        raise BadArgument(f"Unknown status {status[:40]!r}: pick one of {', '.join(STATUSES)}.")
    if site and site not in site_ids:
        raise BadArgument(f"No site {site[:40]!r}: pick one of {', '.join(site_ids) or 'the registered sites'}.")
    if len(customer) > 128:
        raise BadArgument("Search customers with at most 128 characters.")
    return {"status": status, "site": site, "customer": customer, "at_risk": request.args.get("at_risk") == "1",
            "page": whole_number("page", 1, 1, 100_000)}


def filtered_orders() -> dict:
    with reading() as conn:
        site_ids = [site["site_id"] for site in ops_queries.sites(conn)]
        chosen = order_filters(site_ids)
        risks = {r.order_id: r for r in ops_forecast.at_risk(conn, now(), settings.ship_cutoff(),
                                                              settings.rate_hours())}
        found = ops_queries.order_page(conn, chosen["status"] or None, chosen["site"] or None,
                                       chosen["customer"] or None, list(risks) if chosen["at_risk"] else None,
                                       PAGE_SIZE, (chosen["page"] - 1) * PAGE_SIZE)
    pages = max(1, -(-found["total"] // PAGE_SIZE))
    return {"filters": chosen, "sites": site_ids, "statuses": STATUSES, "risks": risks, "pages": pages, **found}


@ops.get("/orders")
def orders():
    """Render the order list; an htmx poll gets only the table, so new orders show without a reload."""
    found = filtered_orders()
    if request.headers.get("HX-Request"):
        return page("ops/orders_table.html", o=found)
    return page("ops/orders.html", o=found)


@ops.get("/orders/<order_id>")
def order(order_id: str):
    """Render one order end to end: lines, parts, its status history and the site events received for it."""
    with reading() as conn:
        found = ops_queries.order_end_to_end(conn, order_id)
        if found is None:
            abort(404, description=f"No order {order_id[:64]}; find it in the order list.")
        ids = {found["order_id"], *(part["order_id"] for part in found["parts"])}
        risks = [r for r in ops_forecast.ship_risks(conn, now(), settings.ship_cutoff(), settings.rate_hours(),
                                                     sorted(ids)) if r.at_risk]
    return page("ops/order.html", order=found, risks=risks)
