"""A plain check says yes only to event data its schema accepts; the rest is left to the schema."""
import pytest

from protocols.messages.plain_check import plain_check
from protocols.messages.site_events import SITE_EVENT_SCHEMAS, check_site_event_data, load_site_event_data

PICKED = {"task_id": "S1-T000001", "order_id": "SO-1", "line_no": 1, "sku": "SKU-BLUE-MUG", "location": "A-01-03",
          "qty": 2, "picker": "BADGE-7"}
STOCK = {"location": "A-01-03", "sku": "SKU-BLUE-MUG", "qty_delta": -2, "reason": "pick", "ref": "S1-T000001"}
CASES = [
    ("task.picked", PICKED),
    ("task.picked", {**PICKED, "lot": "L1", "expiry": "261231"}),
    ("task.picked", {**PICKED, "expiry": "2612"}),
    ("task.picked", {**PICKED, "expiry": "261231\n"}),
    ("task.picked", {**PICKED, "qty": 0}),
    ("task.picked", {**PICKED, "qty": True}),
    ("task.picked", {**PICKED, "qty": 2.0}),
    ("task.picked", {**PICKED, "task_id": ""}),
    ("task.picked", {**PICKED, "sku": "S" * 65}),
    ("task.picked", {**PICKED, "lot": None}),
    ("task.picked", {**PICKED, "colour": "blue"}),
    ("task.picked", {k: v for k, v in PICKED.items() if k != "picker"}),
    ("stock.changed", STOCK),
    ("stock.changed", {**STOCK, "reason": "lost"}),
    ("stock.changed", {**STOCK, "qty_delta": "2"}),
    ("stock.changed", {**STOCK, "qty_delta": False}),
    ("order.status_changed", {"order_id": "SO-1", "status": "picking"}),
    ("order.status_changed", {"order_id": "SO-1", "status": "lost"}),
    ("order.status_changed", {"order_id": "SO-1", "status": "picking", "note": "n" * 257}),
]


def accepted(event_type, data) -> bool:
    try:
        load_site_event_data(event_type, data)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(("event_type", "data"), CASES)
def test_the_plain_check_never_accepts_what_the_schema_refuses(event_type, data):
    if plain_check(SITE_EVENT_SCHEMAS[event_type])(data):
        assert accepted(event_type, data)


@pytest.mark.parametrize(("event_type", "data"), CASES)
def test_checking_an_event_answers_as_loading_it_does(event_type, data):
    try:
        check_site_event_data(event_type, data)
        outcome = "accepted"
    except ValueError as err:
        outcome = str(err)
    try:
        load_site_event_data(event_type, data)
        expected = "accepted"
    except ValueError as err:
        expected = str(err)
    assert outcome == expected


def test_plain_events_pass_the_cheap_check_and_odd_schemas_have_none():
    assert plain_check(SITE_EVENT_SCHEMAS["task.picked"])(PICKED)
    assert plain_check(SITE_EVENT_SCHEMAS["stock.changed"])(STOCK)
    assert plain_check(SITE_EVENT_SCHEMAS["carton.closed"]) is None  # nested lines: always the schema
