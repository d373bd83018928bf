"""Handlers of cycle counts: schedule, hand out, record a blind count, recount, and the lead's decision."""
from edge.domain.counts import COUNT_AWAITING_APPROVAL, CountRefused, CountSettings, CountTask, Thresholds
from edge.domain.errors import DomainError
from edge.domain.events import Event, StockChanged
from edge.domain.lead_actions import check_reason
from protocols.barcode import BarcodeError, classify

from .count_commands import CancelCount, CreateCounts, DecideCount, SetCountSettings, SubmitCount, TakeNextCount
from .idempotency import idempotent
from .unit_of_work import Origin, UnitOfWork


class UnknownCount(DomainError):
    code = "unknown_count"

    def __init__(self, count_id: str):
        super().__init__(f"No count {count_id} at this site. Press Next count to get your count.")


class UnknownItemBarcode(DomainError):
    code = "unknown_item"

    def __init__(self, barcode: str):
        super().__init__(f"{barcode} is not an item of this site. Put it aside for your lead and count the rest.")


class NothingToCount(DomainError):
    code = "nothing_to_count"

    def __init__(self, what: str):
        super().__init__(f"No location to count in {what}. Check the zone or location codes.")


def create_counts(cmd: CreateCounts, uow: UnitOfWork) -> dict:
    """Schedule a count per location (listed, or every location of the zone); one already open is kept."""
    reason = check_reason(cmd.reason) if cmd.actor else cmd.reason
    with uow:
        locations = list(dict.fromkeys([*cmd.locations, *(uow.counts.locations_in_zone(cmd.zone) if cmd.zone else [])]))
        unknown = [l for l in locations if uow.locations.get(l) is None]
        if unknown or not locations:
            raise NothingToCount(", ".join(unknown) or f"zone {cmd.zone or '(none given)'}")
        created, kept = [], []
        for location in locations:
            live = uow.counts.live_at(location)
            if live is not None:
                kept.append(live.count_id)
            else:
                created.append(request_count(uow, location, cmd.origin).count_id)
        if cmd.actor:
            uow.audit.record(cmd.actor, "counts.scheduled", f"locations:{','.join(locations)}"[:256], reason,
                             {"counts": created})
        uow.commit()
    return {"counts": created, "already_open": kept, "message": f"{len(created)} count task(s) scheduled."}


def request_count(uow: UnitOfWork, location: str, origin: str) -> CountTask:
    """Open a count at the location unless one is already open there (inside the caller's unit of work)."""
    live = uow.counts.live_at(location)
    if live is not None:
        return live
    count = CountTask(uow.counts.next_id(), location, origin, created_at=uow.now())
    uow.counts.add(count)
    return count


def take_next_count(cmd: TakeNextCount, uow: UnitOfWork) -> dict:
    """Hand the counter their count, else the oldest open one at a location where no pick is under way."""
    with uow:
        count = uow.counts.next_for(cmd.badge)
        if count is None:
            return {"count": None, "message": "No counts waiting. Check again later."}
        count.hand_to(cmd.badge, cmd.device_id)
        uow.counts.save(count)
        uow.commit()
        view = count_view(uow, count)
    return {"count": view, "message": f"Go to {count.location}, scan its label and count everything there."}


@idempotent()
def submit_count(cmd: SubmitCount, uow: UnitOfWork) -> dict:
    """Record the blind count against a snapshot of what the site expects there now, and settle it."""
    count = _count(uow, cmd.count_id)
    count.check_counter(cmd.badge, cmd.lease_epoch)
    counted: dict[tuple[str, str], int] = {}
    for barcode, qty in cmd.lines:
        sku, lot = _item_and_lot(uow, barcode)
        counted[(sku, lot)] = counted.get((sku, lot), 0) + qty
    location = uow.locations.get(count.location)
    count.record(cmd.badge, cmd.location_barcode, location.barcode if location else count.location,
                 uow.quants.at(count.location), counted, cmd.empty, uow.now())
    recount, events = count.settle(uow.counts.settings(), uow.counts.next_id(), uow.now())
    if recount is not None:
        uow.counts.add(recount)
    book(uow, events, Origin(cmd.device_id, cmd.op_id, cmd.counted_at))
    uow.counts.save(count)
    return {"count_id": count.count_id, "status": count.status, "message": _outcome_text(count, recount)}


def decide_count(cmd: DecideCount, uow: UnitOfWork) -> dict:
    """Approve (book the variance as count adjustments, once) or reject (book nothing) a counted variance."""
    reason = check_reason(cmd.reason)
    with uow:
        count = _count(uow, cmd.count_id)
        events = count.decide(cmd.approve, cmd.actor, reason, uow.now())
        book(uow, events)
        uow.counts.save(count)
        uow.audit.record(cmd.actor, f"count.{count.status}", f"count:{count.count_id}", reason,
                         {"location": count.location,
                          "variances": [[l.sku, l.lot, l.variance] for l in count.variances]})
        uow.commit()
    verb = "approved: stock adjusted" if cmd.approve else "rejected: stock unchanged"
    return {"count_id": count.count_id, "status": count.status, "message": f"Count {count.count_id} {verb}."}


def cancel_count(cmd: CancelCount, uow: UnitOfWork) -> dict:
    """Withdraw an open or handed-out count; the picks it held at the location are handed out again."""
    reason = check_reason(cmd.reason)
    with uow:
        count = _count(uow, cmd.count_id)
        count.cancel(cmd.actor, reason, uow.now())
        uow.counts.save(count)
        uow.audit.record(cmd.actor, "count.cancelled", f"count:{count.count_id}", reason,
                         {"location": count.location, "picker": count.picker})
        uow.commit()
    return {"count_id": count.count_id, "status": count.status, "message": f"Count {count.count_id} withdrawn."}


def set_count_settings(cmd: SetCountSettings, uow: UnitOfWork) -> dict:
    """Set the site's recount and approval thresholds."""
    settings = CountSettings(Thresholds(cmd.recount_units, cmd.recount_pct),
                             Thresholds(cmd.approval_units, cmd.approval_pct))
    with uow:
        uow.counts.save_settings(settings)
        if cmd.actor:
            uow.audit.record(cmd.actor, "count_settings.changed", "count_settings", cmd.reason or "thresholds set",
                             settings_view(settings))
        uow.commit()
    return {**settings_view(settings), "message": "Count thresholds saved."}


def settings_view(settings: CountSettings) -> dict:
    return {"recount_units": settings.recount.units, "recount_pct": settings.recount.pct,
            "approval_units": settings.approval.units, "approval_pct": settings.approval.pct}


def book(uow: UnitOfWork, events: list[Event], origin: Origin = Origin()) -> None:
    """Apply stock deltas lot by lot and queue them for the centre, in the caller's transaction."""
    for event in events:
        if isinstance(event, StockChanged):
            uow.quants.change(event.location, event.sku, event.lot, event.qty_delta)
    uow.emit(events, origin)


def count_view(uow: UnitOfWork, count: CountTask) -> dict:
    """Describe a count for the counter: where, not how many (the count is blind)."""
    location = uow.locations.get(count.location)
    return {"count_id": count.count_id, "location": count.location,
            "location_barcode": location.barcode if location else count.location, "origin": count.origin,
            "status": count.status, "lease_epoch": count.lease_epoch}


def _count(uow: UnitOfWork, count_id: str) -> CountTask:
    count = uow.counts.get(count_id)
    if count is None:
        raise UnknownCount(count_id)
    return count


def _item_and_lot(uow: UnitOfWork, barcode: str) -> tuple[str, str]:
    """Resolve a scanned item (sku, GTIN or GS1 label) to its sku, with the lot when the label carries one."""
    try:
        scan = classify(barcode)
    except BarcodeError as err:
        raise CountRefused(f"{err} Scan the item again.") from None
    gtin = scan.gs1.get("01") if scan.gs1 else None
    for candidate in filter(None, (gtin, barcode)):
        sku = uow.counts.sku_for_barcode(candidate)
        if sku is not None:
            return sku, scan.lot or ""
    raise UnknownItemBarcode(barcode.strip()[:64])


def _outcome_text(count: CountTask, recount: CountTask | None) -> str:
    if recount is not None:
        return f"Count of {count.location} recorded; another picker will recount it. Press Next count."
    if count.status == COUNT_AWAITING_APPROVAL:
        return f"Count of {count.location} recorded; your lead will check the difference. Press Next count."
    return f"Count of {count.location} recorded. Press Next count."
