"""Dashboard logins: argon2 hashes, roles per area, CSRF on forms, lockout, safe redirects, the add-user command."""
import sqlite3

import pytest

from edge.__main__ import main as edge_cli
from edge.adapters.staff_accounts import audit, audit_entries
from sync.sqlite_store import write_transaction

from edge_api_support import STAFF_PASSWORD, add_login, csrf_token, dump, log_in


def test_a_lead_logs_in_and_sees_the_dashboard(client, db_path):
    add_login(db_path, "maria", "lead")
    assert client.get("/").headers["Location"].startswith("/login?next=/")
    log_in(client, "maria")
    page = client.get("/")
    assert page.status_code == 200 and b"Site DC01" in page.data


def test_passwords_are_stored_as_argon2id_hashes_only(db_path):
    add_login(db_path, "maria", "lead")
    (stored,) = sqlite3.connect(db_path).execute("SELECT password_hash FROM staff").fetchone()
    assert stored.startswith("$argon2id$") and STAFF_PASSWORD not in stored


def test_a_picker_cannot_open_lead_pages(client, db_path):
    add_login(db_path, "sam", "picker")
    log_in(client, "sam")
    page = client.get("/")
    assert page.status_code == 403 and b"may not open this page" in page.data


def test_wrong_password_is_refused_and_changes_no_session(client, db_path):
    add_login(db_path, "maria", "lead")
    answer = client.post("/login", data={"username": "maria", "password": "wrong-password",
                                         "csrf_token": csrf_token(client)})
    assert answer.status_code == 401 and b"Wrong user name or password" in answer.data
    assert client.get("/").status_code == 302


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    answer = client.post("/login", data={"username": "nobody", "password": "whatever-123",
                                         "csrf_token": csrf_token(client)})
    assert answer.status_code == 401 and b"Wrong user name or password" in answer.data


def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(client, db_path):
    add_login(db_path, "maria", "lead")
    for _ in range(5):
        client.post("/login", data={"username": "maria", "password": "nope-nope-nope", "csrf_token": csrf_token(client)})
    answer = client.post("/login", data={"username": "maria", "password": STAFF_PASSWORD,
                                         "csrf_token": csrf_token(client)})
    assert answer.status_code == 401 and b"locked" in answer.data


def test_login_without_csrf_token_is_refused_and_changes_nothing(client, db_path):
    add_login(db_path, "maria", "lead")
    before = dump(db_path)
    answer = client.post("/login", data={"username": "maria", "password": STAFF_PASSWORD})
    assert answer.status_code == 400 and b"Reload the page" in answer.data
    assert dump(db_path) == before and client.get("/").status_code == 302


def test_logout_needs_the_csrf_token_and_ends_the_session(client, db_path):
    add_login(db_path, "maria", "lead")
    token = log_in(client, "maria")
    assert client.post("/logout").status_code == 400  # a forged cross-site logout is refused
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_after_login_only_same_site_paths_are_followed(client, db_path):
    add_login(db_path, "maria", "lead")
    answer = client.post("/login?next=https://evil.example/", data={
        "username": "maria", "password": STAFF_PASSWORD, "csrf_token": csrf_token(client)})
    assert answer.headers["Location"] == "/"


def test_session_cookie_is_http_only_and_same_site_lax(client, db_path):
    add_login(db_path, "maria", "lead")
    client.get("/login")
    answer = client.post("/login", data={"username": "maria", "password": STAFF_PASSWORD,
                                         "csrf_token": csrf_token(client)})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_handheld_api_needs_no_csrf_token(client):
    answer = client.post("/api/v1/sessions", json={"badge": "BADGE-0001", "pin": "1234", "device_id": "HH-01"})
    assert answer.status_code == 201


@pytest.mark.parametrize("username, role, password, message", [
    ("Maria Lopez", "lead", STAFF_PASSWORD, "not valid"),
    ("maria", "boss", STAFF_PASSWORD, "not known"),
    ("maria", "lead", "short", "too short"),
])
def test_add_user_refuses_bad_input_and_changes_nothing(db_path, tmp_path, capsys, username, role, password, message):
    from edge.adapters.staff_accounts import StaffError

    before = dump(db_path)
    with pytest.raises(StaffError, match=message):
        add_login(db_path, username, role, password)
    assert dump(db_path) == before


def test_add_user_command_prints_a_generated_password_that_works(db_path, client, capsys):
    assert edge_cli(["add-user", "--site", "DC01", "--db", db_path, "--username", "lee", "--role", "lead"]) == 0
    password = capsys.readouterr().out.strip().rsplit(": ", 1)[-1]
    assert len(password) >= 12
    log_in(client, "lee", password)
    assert client.get("/").status_code == 200
    assert edge_cli(["add-user", "--site", "DC01", "--db", db_path, "--username", "lee", "--role", "lead"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_audit_entries_keep_who_what_when_and_why(db_path):
    with write_transaction(db_path) as db:
        audit(db, "maria", "short.approved", "task:T-1", __import__("datetime").datetime(2026, 1, 5, 9, 30),
              "damaged stock", {"qty": 2})
    with write_transaction(db_path) as db:
        [entry] = audit_entries(db, subject="task:T-1")
    assert (entry["actor"], entry["action"], entry["reason"], entry["detail"]) == (
        "maria", "short.approved", "damaged stock", {"qty": 2})
