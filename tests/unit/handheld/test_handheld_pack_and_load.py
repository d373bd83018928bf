"""Pack by scanning items into cartons, then load the cartons at a dock door: the pack presenter with a fake edge."""
import pytest

from handheld.presenters.feedback import BAD, GOOD

from fake_edge import BLUE_MUG_GTIN, FakeEdgeClient
from rig import Rig

SO_1 = {"order_id": "SO-1", "status": "picked", "cartons": [],
        "lines": [{"line_no": 1, "sku": "SKU-BLUE-MUG", "qty": 3, "picked_qty": 3,
                   "barcodes": ["SKU-BLUE-MUG", BLUE_MUG_GTIN]},
                  {"line_no": 2, "sku": "SKU-KETTLE", "qty": 1, "picked_qty": 1, "barcodes": ["SKU-KETTLE"]}]}


@pytest.fixture
def edge():
    edge = FakeEdgeClient()
    edge.orders_ready = [{"order_id": "SO-1"}, {"order_id": "SO-2"}]
    edge.order_details = {"SO-1": SO_1}
    return edge


@pytest.fixture
def rig(tmp_path, edge):
    rig = Rig(str(tmp_path / "device.db"), edge)
    rig.pack.start()
    rig.pack.on_scan("SO-1")
    return rig


def sent(rig, edge) -> list[tuple[str, dict]]:
    rig.sync.pump()
    return [(path.rsplit("/", 1)[-1], {k: v for k, v in body.items() if k != "op_id"})
            for path, body in edge.applied.values()]


def test_items_scanned_by_gtin_or_sku_go_into_the_carton_and_close_sends_them(rig, edge):
    rig.pack.on_scan("5012345678900")  # EAN-13 on the mug: the GTIN-14 in the order
    rig.pack.on_scan("sku-blue-mug")
    assert (rig.pack.state.feedback.tone, rig.pack.state.feedback.message) == (GOOD, "2 × SKU-BLUE-MUG in the carton.")
    rig.pack.on_scan("SKU-KETTLE")
    assert rig.pack.state.carton_text == "2 × SKU-BLUE-MUG, 1 × SKU-KETTLE"
    rig.pack.on_close_carton()
    assert rig.pack.state.carton == () and rig.pack.state.feedback.tone == GOOD
    assert sent(rig, edge) == [("cartons", {"items": [{"barcode": BLUE_MUG_GTIN, "qty": 1},
                                                      {"barcode": "sku-blue-mug", "qty": 1},
                                                      {"barcode": "SKU-KETTLE", "qty": 1}]})]
    assert rig.pack.state.left["SKU-BLUE-MUG"][0] == 1 and rig.pack.state.left["SKU-KETTLE"][0] == 0


def test_an_item_not_in_the_order_or_one_too_many_is_refused_on_the_device(rig, edge):
    rig.pack.on_scan("SKU-TEAPOT")
    assert rig.pack.state.feedback.tone == BAD and "SKU-TEAPOT is not left to pack in order SO-1" in (
        rig.pack.state.feedback.message)
    rig.pack.on_scan("SKU-KETTLE")
    rig.pack.on_scan("SKU-KETTLE")
    assert rig.pack.state.feedback.tone == BAD and "Only 1 × SKU-KETTLE" in rig.pack.state.feedback.message
    assert rig.pack.state.carton_text == "1 × SKU-KETTLE"


def test_closing_with_nothing_scanned_packs_all_as_before(rig, edge):
    rig.pack.on_close_carton()
    assert sent(rig, edge) == [("cartons", {})]


def test_without_the_order_detail_scans_are_kept_for_the_edge_to_check(tmp_path, edge):
    edge.order_details = {}
    rig = Rig(str(tmp_path / "device.db"), edge)
    rig.pack.on_scan("SO-1")
    rig.pack.on_scan("SKU-ANYTHING")
    assert rig.pack.state.carton_text == "1 × SKU-ANYTHING"


def test_ship_scans_the_dock_door_and_each_carton_then_confirms(rig, edge):
    rig.pack.on_scan("dock-3")
    assert rig.pack.state.dock_door == "DOCK-3" and rig.pack.state.feedback.tone == GOOD
    rig.pack.on_scan("DC01-C000001")
    rig.pack.on_scan("]C100376123450000010008")  # SSCC label: AI (00) + 18 digits
    rig.pack.on_scan("DC01-C000001")
    assert rig.pack.state.feedback.tone == BAD and "already scanned" in rig.pack.state.feedback.message
    assert rig.pack.state.loading_text == "Dock DOCK-3, loaded: DC01-C000001, 376123450000010008"
    rig.pack.on_ship()
    assert rig.pack.state.feedback.tone == GOOD and rig.pack.state.loaded == ()
    assert sent(rig, edge) == [("shipment", {"dock_door": "DOCK-3",
                                             "cartons": ["DC01-C000001", "376123450000010008"]})]


def test_cartons_scanned_without_a_dock_door_are_not_shipped(rig, edge):
    rig.pack.on_scan("DC01-C000001")
    rig.pack.on_ship()
    assert rig.pack.state.feedback.tone == BAD and "dock door" in rig.pack.state.feedback.message
    assert sent(rig, edge) == []


def test_scanning_another_listed_order_starts_afresh(rig, edge):
    rig.pack.on_scan("SKU-KETTLE")
    rig.pack.on_scan("SO-2")
    assert (rig.pack.state.order_id, rig.pack.state.carton, rig.pack.state.left) == ("SO-2", (), None)
