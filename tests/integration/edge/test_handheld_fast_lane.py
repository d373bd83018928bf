"""The handheld fast lane answers exactly as the Flask views do: same status, JSON and headers, same effects."""
import sqlite3

from edge_api_support import outbox, stock
from edge.web import create_app
from handheld_walk_support import OPS, refused, walk


def test_the_fast_lane_and_the_flask_views_answer_a_walk_alike(db_path, centre, sync, tmp_path):
    centre.allocate("SO-1", [("SKU-BLUE-MUG", 3), ("SKU-KETTLE", 1)])
    plain_path = str(tmp_path / "plain.db")
    source, copy = sqlite3.connect(db_path), sqlite3.connect(plain_path)
    source.backup(copy)  # WAL-safe copy
    source.close()
    copy.close()
    config = {"SITE_ID": "DC01", "SYNC": sync, "TESTING": True}
    app = create_app({**config, "DB_PATH": db_path})
    fast = walk(app.test_client(), db_path)
    plain = walk(create_app({**config, "DB_PATH": plain_path, "HANDHELD_FAST_LANE": False}).test_client(), plain_path)
    assert fast == plain
    assert app.wsgi_app.served == 14  # the plain calls, refused ones too; the 5 odd ones (schema, caller) went to Flask
    assert [status for *_, status, _body, _type, _replayed in fast][:3] == [200, 409, 409]
    assert fast[-2][2] == 403 and fast[-2][3]["error"] == "device_revoked"
    assert stock(db_path) == stock(plain_path)
    assert ([(e["type"], e["op_id"], e["data"]) for e in outbox(db_path)]
            == [(e["type"], e["op_id"], e["data"]) for e in outbox(plain_path)])
    assert refused(db_path) == refused(plain_path) == [(OPS[8], "lease_lost")]
