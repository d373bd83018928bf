"""Apply the centre's commands (orders, cancellations, items) as the sync inbox hands them over."""
import logging

from sqlite_utils import Database

from edge.domain.errors import DomainError
from edge.service import commands
from edge.service.messagebus import HANDLERS
from edge.service.receiving_commands import RegisterAsn
from edge.service.return_commands import RegisterReturn
from protocols.messages.central_commands import load_central_command_data
from sync.sqlite_store import EventRejected

from .sqlite_uow import SqliteUnitOfWork

log = logging.getLogger(__name__)


def command_from(event: dict) -> commands.Command:
    """Validate one incoming command and build the edge command for it; raise EventRejected if it is unusable."""
    try:
        data = load_central_command_data(event["type"], event["data"])
    except ValueError as err:
        raise EventRejected(str(err)) from None
    if event["type"] == "order.allocated":
        return commands.ReleaseOrder(data["order_id"], data["customer"], data["priority"],
                                     data["requested_ship_date"], data["lines"], str(event.get("event_id", "")))
    if event["type"] == "asn.created":
        return RegisterAsn(data["asn_id"], data["supplier"], data["lines"], data["over_tolerance_pct"])
    if event["type"] == "return.expected":
        return RegisterReturn(data["rma_id"], data["order_id"], data["customer"], data["lines"])
    if event["type"] == "order.cancelled":
        return commands.CancelOrder(data["order_id"], data["reason"])
    return commands.UpsertItem(data["sku"], data["description"], data["gtins"], data["tracking"])


def apply_command(db: Database, stream: str, event: dict) -> None:
    """Handle one command inside the inbox's open transaction (the SiteSyncEndpoint apply function)."""
    cmd = command_from(event)
    try:
        HANDLERS[type(cmd)](cmd, SqliteUnitOfWork(db=db))
    except DomainError as err:
        raise EventRejected(err.message) from None
    log.info("applied %s #%s from %s", event["type"], event.get("seq"), stream)
