"""order.batched at the centre: the order's history says which wave, batch and tote it was picked in (issue 9)."""
import pytest

from central.domain.errors import InvalidSiteEvent, OrderNotAtSite
from central.service import handlers
from central.service.commands import CreateOrder, IngestSiteEvent, OrderLineRequest
from central.service.site_events import ingest_site_event
from central_fakes import FakeUnitOfWork, a_site, an_item

AT = "2025-03-03T10:15:00.000+00:00"


def batched(order_id, stage, tote="", actor="BADGE-0001"):
    return {"order_id": order_id, "wave_id": "DC01-W00001", "batch_id": "DC01-B00001", "stage": stage,
            "slot": 2, "tote": tote, "actor": actor}


@pytest.fixture
def uow():
    return FakeUnitOfWork(sites=[a_site("DC01"), a_site("DC02")], items=[an_item("SKU-BLUE-MUG")])


@pytest.fixture
def order_id(uow):
    ingest_site_event(IngestSiteEvent("DC01", "stock.changed", {
        "location": "A-01-01", "sku": "SKU-BLUE-MUG", "qty_delta": 50, "reason": "count"}, AT), uow)
    return handlers.create_order(CreateOrder("Acme Ltd", "2025-03-10", [OrderLineRequest("SKU-BLUE-MUG", 5)]), uow)


def test_the_history_shows_the_wave_batch_and_tote_without_changing_the_status(uow, order_id):
    status = uow.orders.rows[order_id].status
    ingest_site_event(IngestSiteEvent("DC01", "order.batched", batched(order_id, "released", actor="maria"), AT), uow)
    ingest_site_event(IngestSiteEvent("DC01", "order.batched", batched(order_id, "picked", "TOTE-07"), AT), uow)
    assert uow.orders.rows[order_id].status == status
    assert [(c.source, c.note) for c in uow.orders.history[order_id]][-2:] == [
        ("DC01", "in batch DC01-B00001 of wave DC01-W00001, cart slot 2"),
        ("DC01", "picked in batch DC01-B00001 of wave DC01-W00001 into tote TOTE-07 by BADGE-0001; tote to packing")]


def test_another_site_cannot_write_the_orders_history_and_bad_data_is_refused(uow, order_id):
    with pytest.raises(OrderNotAtSite):
        ingest_site_event(IngestSiteEvent("DC02", "order.batched", batched(order_id, "picked", "T-1"), AT), uow)
    with pytest.raises(InvalidSiteEvent):
        ingest_site_event(IngestSiteEvent("DC01", "order.batched", batched(order_id, "lost"), AT), uow)
