"""The ops view's order page shows the wave, batch and tote a site picked the order in (issue 9)."""
from central_support import site_event
from ops_ledger import order, stock, through_inbox


def test_the_order_page_shows_the_batch_in_its_history_and_events(seeded, db_path, client):
    through_inbox(db_path, "DC01", stock("A-01-01", 6))
    order_id = order(seeded, 2)["order_id"]
    batched = {"order_id": order_id, "wave_id": "DC01-W00001", "batch_id": "DC01-B00001", "slot": 2,
               "actor": "BADGE-0001"}
    through_inbox(db_path, "DC01", site_event("order.batched", batched | {"stage": "released"}),
                  site_event("order.batched", batched | {"stage": "picked", "tote": "TOTE-0007"}))
    html = client.get(f"/ops/orders/{order_id}").get_data(as_text=True)
    assert "picked in batch DC01-B00001 of wave DC01-W00001 into tote TOTE-0007 by BADGE-0001" in html
    assert "picked: batch DC01-B00001 of wave DC01-W00001, slot 2, tote TOTE-0007 (BADGE-0001)" in html
