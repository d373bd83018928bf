"""Shared fixtures: a real Mosquitto broker on a free loopback port, and the centre's database (SQLite or PostgreSQL).

`pytest --central-db=postgres` (or WES_CENTRAL_DB=postgres) runs the centre's and the hub's tests on PostgreSQL:
one throwaway cluster per session with one database, emptied before each test.
"""
import os

import pytest

from deploy.mosquitto import MosquittoBroker, find_mosquitto
from tests.central_databases import ResettableDatabase

BACKENDS = ("sqlite", "postgres")


def pytest_addoption(parser):
    parser.addoption("--central-db", choices=BACKENDS, default=os.environ.get("WES_CENTRAL_DB", "sqlite"),
                     help="database of the centre and hub tests: sqlite (default) or postgres (a private cluster)")


def pytest_collection_modifyitems(config, items):
    """Leave out the tests about PostgreSQL itself unless the centre's tests run on it."""
    if config.getoption("--central-db") == "postgres":
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture
def broker(tmp_path):
    if not find_mosquitto():
        pytest.fail("Mosquitto is required for this test: apt-get install mosquitto")
    with MosquittoBroker(workdir=str(tmp_path / "mqtt")) as running:
        yield running


@pytest.fixture(scope="session")
def central_backend(request) -> str:
    return request.config.getoption("--central-db")


@pytest.fixture(scope="session")
def postgres_database(central_backend):
    """Start this session's PostgreSQL cluster with one migrated database; yield its Database, or None on SQLite."""
    if central_backend != "postgres":
        yield None
        return
    import psycopg

    from deploy.postgres import PostgresCluster, postgres_bindir, wait_ready

    bindir = postgres_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL is required for --central-db=postgres: apt-get install postgresql")
    with PostgresCluster(bindir) as cluster:
        wait_ready(cluster.url)
        with psycopg.connect(cluster.url, autocommit=True) as admin:
            admin.execute("CREATE DATABASE wes_central")
        database = ResettableDatabase(cluster.database_url("wes_central"))
        yield database
        from sync.pg_connections import close_pooled
        close_pooled(database.url)


@pytest.fixture
def central_db(tmp_path, postgres_database) -> str:
    """The centre's database for one test: a fresh SQLite file, or the session's PostgreSQL database, emptied."""
    if postgres_database is None:
        return str(tmp_path / "central.db")
    return postgres_database.reset()


@pytest.fixture
def hub_db(central_db) -> str:
    """The hub side's database for one sync test: the centre's, with the sync tables (SQLite or PostgreSQL)."""
    from central.adapters.migrations import migrate

    migrate(central_db)
    return central_db
