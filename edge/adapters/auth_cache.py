"""Find the device and the signed-in picker by their tokens, remembered in this process until auth data changes.

Every handheld call looks up its device token and its bearer token: two hashes and two reads per request, though
the answers only change when a device is enrolled, re-enrolled or revoked, or a session or picker changes.
Triggers on those tables (migration m014) give the auth_version row a new random token in the same transaction,
whichever process made the change. Each request reads that token first (one small read) and starts afresh when it
moved, so a revoke made by any process is seen by the very next request.
"""
import os
import sqlite3
import threading
from contextlib import contextmanager
from typing import Callable

from edge.domain.catalogue import token_digest
from sync.sqlite_store import pooled_connection

from .queries import device_for_token, picker_for_token

MAX_ENTRIES = 4096  # a site has a few hundred devices and sessions; past this, start afresh rather than grow


class _Remembered:
    __slots__ = ("version", "found")

    def __init__(self, version: int):
        self.version, self.found = version, {}


_by_database: dict[str, _Remembered] = {}
_guard = threading.Lock()


def _start_afresh_after_fork() -> None:
    # A thread of the parent may hold the guard at the fork; the child's copy would stay locked for ever.
    global _by_database, _guard
    _by_database, _guard = {}, threading.Lock()


os.register_at_fork(after_in_child=_start_afresh_after_fork)


class TokenLookups:
    """One request's lookups: what this process remembers under the auth version read now, else the database."""

    def __init__(self, conn: sqlite3.Connection, db_path: str):
        self._conn = conn
        (version,) = conn.execute("SELECT token FROM auth_version WHERE id = 1").fetchone()
        with _guard:
            remembered = _by_database.get(db_path)
            if remembered is None or remembered.version != version:
                remembered = _by_database[db_path] = _Remembered(version)
        self._remembered = remembered

    def device(self, token: str) -> dict | None:
        """Return the device enrolled with this token (device_id, enrolled_at, revoked_at), or None."""
        return self._find("device", token, device_for_token)

    def picker(self, token: str) -> dict | None:
        """Return the picker signed in with this bearer token (badge, name, device_id), or None."""
        return self._find("picker", token, picker_for_token)

    def _find(self, kind: str, token: str, read: Callable[[sqlite3.Connection, str], dict | None]) -> dict | None:
        key = (kind, token)
        found = self._remembered.found.get(key)
        if found is None:
            # Read after the version, so nothing is kept under a version newer than what it saw.
            found = read(self._conn, token_digest(token))
            if found is None:
                return None  # unknown tokens are not kept: a device enrolling or a picker signing in works at once
            with _guard:  # kept under the version read above; if that moved on meanwhile, nobody reads it again
                if len(self._remembered.found) >= MAX_ENTRIES:
                    self._remembered.found.clear()
                self._remembered.found[key] = found
        return dict(found)  # a copy: the caller may change its own


@contextmanager
def token_lookups(db_path: str):
    """Yield this request's TokenLookups over the thread's pooled connection."""
    with pooled_connection(db_path) as conn:
        yield TokenLookups(conn, db_path)
