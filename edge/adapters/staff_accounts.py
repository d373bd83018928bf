"""Dashboard logins, the audit log and the session-signing secret, in the edge SQLite database."""
import json
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database

from edge.domain.staff import LOCKOUT_MINUTES, MAX_FAILED_LOGINS, Staff, StaffError, check_new_staff

_hasher = PasswordHasher()  # argon2id with the library's recommended cost
_DECOY_HASH = _hasher.hash(secrets.token_hex(16))


def add_staff(db: Database, username: str, role: str, password: str, now: datetime, display_name: str = "") -> Staff:
    """Create a login (or raise StaffError if the name is taken or anything is not acceptable)."""
    check_new_staff(username, role, password)
    if db.execute("SELECT 1 FROM staff WHERE username = ?", [username]).fetchone():
        raise StaffError(f"User {username} already exists: choose another name or reset that user's password.")
    db.execute("INSERT INTO staff (username, display_name, role, password_hash, active, created_at)"
               " VALUES (?,?,?,?,1,?)", [username, display_name or username, role, _hasher.hash(password),
                                         now.isoformat()])
    return Staff(username, display_name or username, role)


def set_password(db: Database, username: str, password: str) -> None:
    """Replace a login's password and lift any lockout."""
    staff = find_staff(db, username)
    if staff is None:
        raise StaffError(f"There is no user {username}: check the name or add the user.")
    check_new_staff(username, staff.role, password)
    db.execute("UPDATE staff SET password_hash = ?, failed_logins = 0, locked_until = '' WHERE username = ?",
               [_hasher.hash(password), username])


def find_staff(db, username: str) -> Staff | None:
    """Return a login by name, or None."""
    row = db.execute("SELECT username, display_name, role, active FROM staff WHERE username = ?",
                     [username]).fetchone()
    return Staff(row[0], row[1], row[2], bool(row[3])) if row else None


def all_staff(db) -> list[Staff]:
    """Return every login, by name."""
    rows = db.execute("SELECT username, display_name, role, active FROM staff ORDER BY username").fetchall()
    return [Staff(r[0], r[1], r[2], bool(r[3])) for r in rows]


def check_login(db: Database, username: str, password: str, now: datetime) -> tuple[Staff | None, str]:
    """Verify a login attempt; return (staff, "") or (None, reason). Failures count towards a short lockout."""
    row = db.execute("SELECT password_hash, active, failed_logins, locked_until FROM staff WHERE username = ?",
                     [username]).fetchone()
    if row is None:
        _verify(_DECOY_HASH, password)  # same cost as a real check, so timing does not reveal user names
        return None, "wrong"
    password_hash, active, failed, locked_until = row
    if locked_until and locked_until > now.isoformat():
        return None, "locked"
    if not _verify(password_hash, password) or not active:
        failed += 1
        locked = (now + timedelta(minutes=LOCKOUT_MINUTES)).isoformat() if failed >= MAX_FAILED_LOGINS else ""
        db.execute("UPDATE staff SET failed_logins = ?, locked_until = ? WHERE username = ?",
                   [0 if locked else failed, locked, username])
        return None, "locked" if locked else "wrong"
    db.execute("UPDATE staff SET failed_logins = 0, locked_until = '', last_login_at = ? WHERE username = ?",
               [now.isoformat(), username])
    return find_staff(db, username), ""


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def audit(db: Database, actor: str, action: str, subject: str, now: datetime, reason: str = "",
          detail: dict | None = None) -> int:
    """Record who did what to what, when and why, in the caller's transaction; return the entry id."""
    cursor = db.execute("INSERT INTO audit_log (at, actor, action, subject, reason, detail) VALUES (?,?,?,?,?,?)",
                        [now.isoformat(), actor, action, subject, reason, json.dumps(detail or {})])
    return cursor.lastrowid


def audit_entries(db, limit: int = 100, subject: str | None = None) -> list[dict]:
    """Return the latest audit entries, newest first, optionally for one subject."""
    rows = db.execute("SELECT id, at, actor, action, subject, reason, detail FROM audit_log"
                      " WHERE ? IS NULL OR subject = ? ORDER BY id DESC LIMIT ?", [subject, subject, limit]).fetchall()
    return [{"id": r[0], "at": r[1], "actor": r[2], "action": r[3], "subject": r[4], "reason": r[5],
             "detail": json.loads(r[6])} for r in rows]


def session_secret(db: Database) -> str:
    """Return the site's cookie-signing secret, made once so sessions survive a restart."""
    db.execute("INSERT OR IGNORE INTO site_secrets (name, value) VALUES ('session', ?)", [secrets.token_hex(32)])
    return db.execute("SELECT value FROM site_secrets WHERE name = 'session'").fetchone()[0]


__all__ = ["StaffError", "add_staff", "all_staff", "audit", "audit_entries", "check_login", "find_staff",
           "session_secret", "set_password"]
