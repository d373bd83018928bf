"""The centre books replenishment moves (stock.changed reason replenish) like any other delta (issue 9)."""
import pytest

from central.domain.errors import InvalidSiteEvent
from central.service.commands import IngestSiteEvent
from central.service.site_events import ingest_site_event
from central_fakes import FakeUnitOfWork, a_site, an_item

AT = "2025-03-03T10:15:00.000+00:00"


def move(location, qty_delta, reason="replenish", lot="L7"):
    return {"location": location, "sku": "SKU-BLUE-MUG", "lot": lot, "qty_delta": qty_delta, "reason": reason,
            "ref": "DC01-R000001"}


def test_a_replenishment_moves_stock_from_reserve_to_the_pick_face_at_the_centre():
    uow = FakeUnitOfWork(sites=[a_site("DC01")], items=[an_item("SKU-BLUE-MUG")])
    ingest_site_event(IngestSiteEvent("DC01", "stock.changed", move("C-01-01", 30, "count"), AT), uow)
    ingest_site_event(IngestSiteEvent("DC01", "stock.changed", move("C-01-01", -12), AT), uow)
    ingest_site_event(IngestSiteEvent("DC01", "stock.changed", move("A-01-01", 12), AT), uow)
    assert uow.stock.rows == {("DC01", "C-01-01", "SKU-BLUE-MUG", "L7"): 18,
                              ("DC01", "A-01-01", "SKU-BLUE-MUG", "L7"): 12}


def test_an_unknown_stock_reason_is_still_refused():
    uow = FakeUnitOfWork(sites=[a_site("DC01")], items=[an_item("SKU-BLUE-MUG")])
    with pytest.raises(InvalidSiteEvent):
        ingest_site_event(IngestSiteEvent("DC01", "stock.changed", move("A-01-01", 5, "teleport"), AT), uow)
    assert uow.stock.rows == {}
