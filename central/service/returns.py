"""Handlers for customer returns: announce an RMA to the site that shipped the order; apply what the site reports."""
from dataclasses import dataclass, field

from central.domain.errors import UnknownOrder
from central.domain.master_data import Item
from central.domain.returns import CustomerReturn, ReturnNotApplicable, ReturnRefused, note_site_return

from .commands import IngestSiteEvent
from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AnnounceReturn:
    order_id: str
    rma_id: str
    lines: list[tuple[str, int]] = field(default_factory=list)
    reason: str = ""


def announce_return(cmd: AnnounceReturn, uow: UnitOfWork) -> str:
    """Store the RMA on the order and queue return.expected to its site in the same transaction."""
    with uow:
        order = uow.orders.get(cmd.order_id)
        if order is None:
            raise UnknownOrder(cmd.order_id)
        if uow.returns.get(cmd.rma_id) is not None:
            raise ReturnRefused(f"RMA {cmd.rma_id} already exists", "duplicate_rma")
        already: dict[str, int] = {}
        for earlier in uow.returns.for_order(order.order_id):
            for sku, qty in earlier.units().items():
                already[sku] = already.get(sku, 0) + qty
        customer_return = CustomerReturn.announce(cmd.rma_id, order, list(cmd.lines), cmd.reason, already, uow.now)
        uow.returns.add(customer_return)
        uow.orders.save(order)
        uow.send_command(order.site_id, "return.expected", {
            "rma_id": cmd.rma_id, "order_id": order.order_id, "customer": order.customer, "reason": cmd.reason,
            "lines": [{"sku": line["sku"], "qty": line["qty"],
                       "item": (uow.items.get(line["sku"]) or Item(line["sku"])).as_command_data()}
                      for line in customer_return.expected]})
        uow.commit()
    return cmd.rma_id


def apply_return_recorded(cmd: IngestSiteEvent, data: dict, uow: UnitOfWork) -> None:
    """Mark the RMA received, or keep an unannounced return; a return the centre cannot place is set aside."""
    order = uow.orders.get(data["order_id"])
    if order is None or order.site_id != cmd.site_id:
        raise ReturnNotApplicable(f"site {cmd.site_id} reports a return against order {data['order_id']}, "
                                  "which the centre did not send it")
    if data["rma_id"]:
        customer_return = uow.returns.get(data["rma_id"])
        if customer_return is None or customer_return.order_id != order.order_id:
            raise ReturnNotApplicable(f"site {cmd.site_id} reports RMA {data['rma_id']}, "
                                      f"which the centre never announced for order {order.order_id}")
        customer_return.record(cmd.site_id, data, uow.now)
        uow.returns.save(customer_return)
    elif uow.returns.get(data["return_id"]) is None:  # a replay of the same event is deduplicated before this
        uow.returns.add(CustomerReturn(data["return_id"], order.order_id, cmd.site_id, "", "received", "",
                                       [], data["lines"], data["picker"], uow.now, uow.now))
    note_site_return(order, cmd.site_id, data["return_id"], data["lines"], uow.now)
    uow.orders.save(order)
