"""Compare a site's own stock snapshot with the centre's ledger and explain each difference by its events."""
from dataclasses import dataclass

Key = tuple[str, str, str]  # location, sku, lot


@dataclass(frozen=True)
class Discrepancy:
    location: str
    sku: str
    lot: str
    site_qty: int
    central_qty: int
    central_qty_at_snapshot: int
    explanation: str
    events: list[dict]

    @property
    def difference(self) -> int:
        return self.central_qty - self.site_qty


def reconcile(snapshot: dict[Key, int], ledger: dict[Key, int], events_for, taken_at: str) -> list[Discrepancy]:
    """Return a discrepancy per key where the site's count and the centre's stock differ, explained.

    ``events_for(key)`` returns the ledger's stock events for that key in order, each with qty_delta,
    occurred_at and applied (False when the event was set aside and never counted).
    """
    found = []
    for key in sorted(set(snapshot) | set(ledger)):
        site_qty, central_qty = snapshot.get(key, 0), ledger.get(key, 0)
        if site_qty == central_qty:
            continue
        events = events_for(key)
        running = 0
        for event in events:
            if event["applied"]:
                running += event["qty_delta"]
            event["running_qty"] = running
        at_snapshot = sum(e["qty_delta"] for e in events if e["applied"] and e["occurred_at"] <= taken_at)
        found.append(Discrepancy(*key, site_qty, central_qty, at_snapshot,
                                 explain(site_qty, central_qty, at_snapshot, events, taken_at, key in snapshot),
                                 events))
    return found


def explain(site_qty: int, central_qty: int, at_snapshot: int, events: list[dict], taken_at: str,
            in_snapshot: bool) -> str:
    """Say in operator words why the two numbers differ and what to do."""
    applied = [e for e in events if e["applied"]]
    set_aside = [e for e in events if not e["applied"]]
    if not applied and not set_aside:
        return (f"The site counts {site_qty} but never reported a stock movement here: the site's stock events for "
                "this location have not reached the centre. Check the site's sync (outbox depth) and recount.")
    later = [e for e in applied if e["occurred_at"] > taken_at]
    if later and at_snapshot == site_qty:
        seqs = ", ".join(f"#{e['seq']}" for e in later)
        return (f"Explained: the snapshot was taken before event(s) {seqs}; as of the snapshot the ledger "
                f"also shows {at_snapshot}. Nothing to do.")
    if set_aside and site_qty == central_qty + sum(e["qty_delta"] for e in set_aside):
        seqs = ", ".join(f"#{e['seq']} ({e['set_aside_because']})" for e in set_aside)
        return (f"Explained: event(s) {seqs} were set aside by the centre, so the ledger lacks "
                f"{site_qty - central_qty:+d}. Fix the cause and have the site resend or recount.")
    if not applied:
        return (f"No counted event here: {len(set_aside)} event(s) were set aside "
                f"({set_aside[0]['set_aside_because']}). Fix the cause and have the site recount the location.")
    if not in_snapshot:
        return (f"The site's snapshot has no row here, but the ledger sums {central_qty} from {len(applied)} event(s) "
                f"(last #{applied[-1]['seq']} at {applied[-1]['occurred_at']}). Recount the location at the site.")
    return (f"Unexplained: the ledger sums {central_qty} from {len(applied)} event(s) (last #{applied[-1]['seq']} at "
            f"{applied[-1]['occurred_at']}), {at_snapshot} as of the snapshot, while the site counts {site_qty}. "
            "A movement at the site was not reported as a stock event: recount the location and report the count.")
