"""One set of SQL for both databases: placeholders translated for psycopg, the few fragments spelt per dialect."""
import sqlite3

import pytest

from sync.pg_connections import PgRow, translate
from sync.sql_dialect import POSTGRES, SQLITE, dialect_of, is_postgres_url, sqlite_path


@pytest.mark.parametrize("sql, expected", [
    ("SELECT * FROM orders WHERE order_id = ? AND site_id = ?",
     "SELECT * FROM orders WHERE order_id = %s AND site_id = %s"),
    ("SELECT :ids, :s0 FROM t WHERE x = :ids", "SELECT %(ids)s, %(s0)s FROM t WHERE x = %(ids)s"),
    ("SELECT '?', 'it''s :not', \"a?\" FROM t WHERE a = ?", "SELECT '?', 'it''s :not', \"a?\" FROM t WHERE a = %s"),
    ("SELECT data::json ->> 'qty' FROM t WHERE a LIKE '50%' AND b = ?",
     "SELECT data::json ->> 'qty' FROM t WHERE a LIKE '50%%' AND b = %s"),
    ("SELECT CAST(? AS jsonb) % 2", "SELECT CAST(%s AS jsonb) %% 2"),
])
def test_placeholders_are_translated_and_quoted_text_is_left_alone(sql, expected):
    assert translate(sql) == expected


def test_a_postgres_row_reads_like_a_sqlite_row():
    row = PgRow(("SO-000001", 3), {"order_id": 0, "qty": 1})
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    lite = conn.execute("SELECT 'SO-000001' AS order_id, 3 AS qty").fetchone()
    assert (row[0], row["qty"], dict(row), tuple(row)) == (lite[0], lite["qty"], dict(lite), tuple(lite))
    (order_id, qty) = row
    assert (order_id, qty) == ("SO-000001", 3)
    conn.close()


@pytest.mark.parametrize("setting, postgres, path", [
    ("central.db", False, "central.db"),
    ("sqlite:///data/central.db", False, "data/central.db"),
    ("sqlite:////var/lib/wes/central.db", False, "/var/lib/wes/central.db"),
    ("postgresql://wes@db.example.net:5432/wes", True, None),
    ("postgres://wes@db/wes", True, None),
])
def test_a_database_setting_names_a_sqlite_file_or_a_postgres_server(setting, postgres, path):
    assert is_postgres_url(setting) is postgres
    if path is not None:
        assert sqlite_path(setting) == path


def test_fragments_are_spelt_for_each_database_and_run_on_sqlite():
    assert POSTGRES.for_update == " FOR UPDATE" and SQLITE.for_update == ""
    assert POSTGRES.greatest("a", "?") == "GREATEST(a, ?)"
    assert POSTGRES.json_number("data", "qty") == "(data::json ->> 'qty')::bigint"
    conn = sqlite3.connect(":memory:")
    assert dialect_of(conn) is SQLITE
    sql = (f"SELECT {SQLITE.greatest('1', '?')}, {SQLITE.json_number('?', 'qty')},"
           f" {SQLITE.contains('lower(?)', 'lower(?)')}")
    assert conn.execute(sql, [5, '{"qty": 4}', "Blue Mug", "MUG"]).fetchone() == (5, 4, 1)
    assert conn.execute(f"SELECT COUNT(*) FROM (SELECT 'x' AS v) WHERE {SQLITE.in_json_list('v')}",
                        ['["x", "y"]']).fetchone() == (1,)
    conn.close()


def test_the_ledger_partition_day_is_the_utc_day_and_a_time_with_no_utc_day_counts_as_today():
    from datetime import date, datetime, timezone

    from sync.pg_schema import ledger_day

    assert ledger_day("2026-03-01T00:30:00+01:00") == date(2026, 2, 28)
    assert ledger_day("0001-01-01T00:00:00+01:00") == datetime.now(timezone.utc).date()  # was an OverflowError
