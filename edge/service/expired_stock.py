"""The lead's action on expired stock: book it from its shelf into quarantine, so nothing counts on it any more."""
from edge.domain.errors import DomainError
from edge.domain.events import StockChanged
from edge.domain.lead_actions import check_reason
from edge.domain.lots import is_expired
from edge.domain.receiving import QUARANTINE

from .pick_checks import site_today
from .unit_of_work import UnitOfWork
from .verification_commands import QuarantineExpired


class NotExpired(DomainError):
    code = "not_expired"

    def __init__(self, sku: str, lot: str, location: str):
        super().__init__(f"Lot {lot} of {sku} at {location} is not expired or no longer there. Reload the page.")


def quarantine_expired(cmd: QuarantineExpired, uow: UnitOfWork) -> dict:
    """Move all of an expired lot at a location to quarantine (stock.changed reason adjust, both legs)."""
    reason = check_reason(cmd.reason)
    with uow:
        found = uow.lots.at_location(cmd.location, cmd.sku, cmd.lot)
        today = site_today(uow.now(), uow.lots.policy().timezone)
        if not cmd.lot or found is None or found.on_hand <= 0 or not is_expired(found.expiry, today):
            raise NotExpired(cmd.sku, cmd.lot, cmd.location)
        events = [StockChanged(cmd.location, cmd.sku, -found.on_hand, "adjust", "expired", cmd.lot),
                  StockChanged(QUARANTINE, cmd.sku, found.on_hand, "adjust", "expired", cmd.lot)]
        for event in events:
            uow.stock.change(event.location, event.sku, event.qty_delta, event.lot)
        uow.audit.record(cmd.actor, "expired_stock.quarantined", f"stock:{cmd.location}:{cmd.sku}:{cmd.lot}",
                         reason, {"qty": found.on_hand})
        uow.emit(events)
        uow.commit()
    return {"location": cmd.location, "sku": cmd.sku, "lot": cmd.lot, "qty": found.on_hand,
            "message": f"{found.on_hand} x {cmd.sku} lot {cmd.lot} moved from {cmd.location} to quarantine "
                       f"({QUARANTINE}). Scrap it or send it back from there."}
