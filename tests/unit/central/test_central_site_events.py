"""What each site event does at the centre (ingest_site_event), through FakeUnitOfWork."""
import pytest

from central.domain.errors import InvalidSiteEvent, OrderNotAtSite, UnknownOrderLine
from central.service import handlers
from central.service.commands import CreateOrder, IngestSiteEvent, OrderLineRequest
from central.service.site_events import ingest_site_event
from central_fakes import FakeUnitOfWork, a_site, an_item

AT = "2025-03-03T10:15:00.000+00:00"


def stock_changed(qty_delta, location="A-01-03", sku="SKU-BLUE-MUG", lot="", reason="count"):
    return {"location": location, "sku": sku, "lot": lot, "qty_delta": qty_delta, "reason": reason, "ref": ""}


def ingest(uow, site, event_type, data):
    ingest_site_event(IngestSiteEvent(site, event_type, data, AT), uow)


@pytest.fixture
def uow():
    return FakeUnitOfWork(sites=[a_site("DC01"), a_site("DC02")], items=[an_item("SKU-BLUE-MUG")])


@pytest.fixture
def order_at_dc01(uow):
    ingest(uow, "DC01", "stock.changed", stock_changed(50))
    return handlers.create_order(CreateOrder("Acme Ltd", "2025-03-10", [OrderLineRequest("SKU-BLUE-MUG", 5)]), uow)


def test_stock_is_the_sum_of_the_sites_deltas(uow):
    ingest(uow, "DC01", "stock.changed", stock_changed(40))
    ingest(uow, "DC01", "stock.changed", stock_changed(-3, reason="pick"))
    ingest(uow, "DC01", "stock.changed", stock_changed(3, location="PACK", reason="pick"))
    ingest(uow, "DC02", "stock.changed", stock_changed(7))
    assert uow.stock.rows == {("DC01", "A-01-03", "SKU-BLUE-MUG", ""): 37,
                              ("DC01", "PACK", "SKU-BLUE-MUG", ""): 3,
                              ("DC02", "A-01-03", "SKU-BLUE-MUG", ""): 7}


def test_a_negative_result_is_kept_as_reported(uow):
    ingest(uow, "DC01", "stock.changed", stock_changed(-2, reason="adjust"))
    assert uow.stock.rows[("DC01", "A-01-03", "SKU-BLUE-MUG", "")] == -2
    assert uow.committed


def test_lots_are_kept_apart(uow):
    ingest(uow, "DC01", "stock.changed", stock_changed(4, lot="L1"))
    ingest(uow, "DC01", "stock.changed", stock_changed(6, lot="L2"))
    assert uow.stock.rows[("DC01", "A-01-03", "SKU-BLUE-MUG", "L1")] == 4


def test_status_changes_from_the_orders_site_build_its_history(uow, order_at_dc01):
    ingest(uow, "DC01", "order.status_changed", {"order_id": order_at_dc01, "status": "released", "note": ""})
    ingest(uow, "DC01", "order.status_changed", {"order_id": order_at_dc01, "status": "shipped", "note": "DPD"})
    assert uow.orders.rows[order_at_dc01].status == "shipped"
    assert [(c.status, c.source, c.at) for c in uow.orders.history[order_at_dc01]][-2:] == [
        ("released", "DC01", AT), ("shipped", "DC01", AT)]


def test_another_sites_report_on_the_order_is_rejected(uow, order_at_dc01):
    with pytest.raises(OrderNotAtSite, match=f"order {order_at_dc01} is not allocated to site DC02"):
        ingest(uow, "DC02", "order.status_changed", {"order_id": order_at_dc01, "status": "shipped", "note": ""})
    assert uow.orders.rows[order_at_dc01].status == "allocated"


def test_a_report_on_an_unknown_order_is_rejected(uow):
    with pytest.raises(OrderNotAtSite, match="order SO-999999 is not allocated to site DC01"):
        ingest(uow, "DC01", "order.status_changed", {"order_id": "SO-999999", "status": "picking", "note": ""})


def test_picks_and_shorts_add_up_on_the_line(uow, order_at_dc01):
    pick = {"task_id": "T-1", "order_id": order_at_dc01, "line_no": 1, "sku": "SKU-BLUE-MUG",
            "location": "A-01-03", "qty": 2, "picker": "BADGE-0001"}
    ingest(uow, "DC01", "task.picked", pick)
    ingest(uow, "DC01", "task.picked", dict(pick, task_id="T-2", qty=1))
    ingest(uow, "DC01", "task.shorted", {"task_id": "T-3", "order_id": order_at_dc01, "line_no": 1,
                                         "sku": "SKU-BLUE-MUG", "location": "A-01-03", "qty_short": 2,
                                         "reason": "empty", "picker": "BADGE-0001"})
    line = uow.orders.rows[order_at_dc01].lines[0]
    assert (line.picked_qty, line.short_qty, line.outstanding) == (3, 2, 0)


def test_a_pick_on_a_line_the_order_lacks_is_rejected(uow, order_at_dc01):
    pick = {"task_id": "T-1", "order_id": order_at_dc01, "line_no": 9, "sku": "SKU-BLUE-MUG",
            "location": "A-01-03", "qty": 2, "picker": "BADGE-0001"}
    with pytest.raises(UnknownOrderLine, match="has no line 9"):
        ingest(uow, "DC01", "task.picked", pick)


def test_locations_are_learned_from_the_site(uow):
    ingest(uow, "DC01", "location.upserted", {"location": "A-01-03", "barcode": "LOC-A-01-03", "zone": "A",
                                              "pick_seq": 30})
    ingest(uow, "DC01", "location.upserted", {"location": "A-01-03", "barcode": "LOC-A-01-03", "pick_seq": 35})
    assert uow.locations.rows == {("DC01", "A-01-03"): {"barcode": "LOC-A-01-03", "zone": "", "pick_seq": 35}}


def test_scan_rejections_change_nothing_but_are_accepted(uow):
    ingest(uow, "DC01", "scan.rejected", {"task_id": "T-1", "step": "item", "expected": "SKU-BLUE-MUG",
                                          "scanned": "SKU-RED-MUG", "picker": "BADGE-0001"})
    assert uow.committed and uow.stock.rows == {} and uow.orders.rows == {}


@pytest.mark.parametrize("event_type, data, fault", [
    ("stock.changed", {"location": "A-01-03", "sku": "SKU-BLUE-MUG", "qty_delta": "3", "reason": "count"},
     "qty_delta"),
    ("stock.changed", dict(stock_changed(1), colour="blue"), "colour"),
    ("stock.changed", dict(stock_changed(1), reason="theft"), "reason"),
    ("pallet.dropped", {}, "unknown site event type"),
])
def test_invalid_event_data_is_rejected_before_any_change(uow, event_type, data, fault):
    with pytest.raises(InvalidSiteEvent, match=fault):
        ingest(uow, "DC01", event_type, data)
    assert not uow.committed and uow.stock.rows == {}
