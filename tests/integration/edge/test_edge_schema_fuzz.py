"""schemathesis against the edge's own OpenAPI: generated requests never get a 5xx or an undocumented answer."""
from pathlib import Path

from edge.bootstrap import seed_site
from edge.web import create_app
from tests.schema_fuzz import fuzz_every_operation, report

SAMPLE_SEED = Path(__file__).resolve().parents[3] / "deploy" / "sample" / "DC01.json"


def test_every_operation_answers_generated_input_as_documented(tmp_path):
    db = str(tmp_path / "edge.db")
    seed_site(db, "DC01", str(SAMPLE_SEED))
    app = create_app({"SITE_ID": "DC01", "DB_PATH": db, "DEVICE_AUTH": "optional"})
    answer = app.test_client().post("/api/v1/sessions", json={"badge": "BADGE-0001", "pin": "1234",
                                                              "device_id": "HH-01"})
    failures = fuzz_every_operation(app, {"Authorization": "Bearer " + answer.json["token"]})
    assert not failures, report(failures)


def test_without_a_session_every_operation_still_answers_as_documented(tmp_path):
    db = str(tmp_path / "edge.db")
    seed_site(db, "DC01", str(SAMPLE_SEED))
    failures = fuzz_every_operation(create_app({"SITE_ID": "DC01", "DB_PATH": db}), examples=10)
    assert not failures, report(failures)
