"""Reach the app's services (message bus, database, sync endpoint) from a request."""
from dataclasses import dataclass
from typing import Any, Callable

from flask import current_app

from sync.sqlite_store import read_connection


@dataclass
class CentralServices:
    bus: Any
    db_path: str
    sync: Any = None


def services() -> CentralServices:
    return current_app.extensions["central"]


def read(query: Callable, *args):
    """Run one read-side query on a short-lived connection."""
    with read_connection(services().db_path) as conn:
        return query(conn, *args)
