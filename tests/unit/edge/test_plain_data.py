"""field_values gives what dataclasses.asdict gives, for plain and nested dataclasses alike."""
from dataclasses import asdict

from edge.domain.events import OrderStatusChanged, StockChanged, TaskPicked
from edge.domain.plain_data import field_values
from edge.service.commands import ConfirmPick
from edge.service.count_commands import SetPickFaces


def test_field_values_equal_asdict_and_nested_values_are_still_copies():
    plain = [StockChanged("A-01-03", "SKU-BLUE-MUG", -2, "pick", "T1"), OrderStatusChanged("SO-1", "picking"),
             TaskPicked("T1", "SO-1", 1, "SKU-BLUE-MUG", "A-01-03", 2, "BADGE-7"),
             ConfirmPick("T1", "SKU-BLUE-MUG", 2, "BADGE-7", "HH-01", "op-1", "", None, "", "", "")]
    for obj in plain:
        assert field_values(obj) == asdict(obj)
    nested = SetPickFaces((("A-01-03", "SKU-BLUE-MUG", 2, 10),))
    assert field_values(nested) == asdict(nested)


def test_the_fingerprint_of_a_pick_leaves_out_who_sent_it():
    pick = ConfirmPick("T1", "SKU-BLUE-MUG", 2, "BADGE-7", "HH-01", "op-1", "", None, "", "", "")
    assert pick.fingerprint() == {"command": "ConfirmPick", "task_id": "T1", "barcode": "SKU-BLUE-MUG", "qty": 2,
                                  "op_id": "op-1", "scanned_at": "", "lease_epoch": None, "lot": "", "serial": "",
                                  "expiry": ""}
