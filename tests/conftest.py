"""Shared fixtures: a real Mosquitto broker on a free loopback port, and the centre's database (SQLite or PostgreSQL).

`pytest --central-db=postgres` (or WES_CENTRAL_DB=postgres) runs the centre's and the hub's tests on PostgreSQL:
one throwaway cluster per session, a fresh database per test.
"""
import itertools
import os

import pytest

from deploy.mosquitto import MosquittoBroker, find_mosquitto

BACKENDS = ("sqlite", "postgres")


def pytest_addoption(parser):
    parser.addoption("--central-db", choices=BACKENDS, default=os.environ.get("WES_CENTRAL_DB", "sqlite"),
                     help="database of the centre and hub tests: sqlite (default) or postgres (a private cluster)")


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
def postgres_template(central_backend):
    """Start this session's PostgreSQL cluster with a migrated template database; yield (cluster, template)."""
    if central_backend != "postgres":
        yield None
        return
    import psycopg

    from central.adapters.migrations import migrate
    from tests.postgres_cluster import PostgresCluster, postgres_bindir, wait_ready

    bindir = postgres_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL is required for --central-db=postgres: apt-get install postgresql")
    with PostgresCluster(bindir) as cluster:
        wait_ready(cluster.url)
        with psycopg.connect(cluster.url, autocommit=True) as admin:
            admin.execute("CREATE DATABASE wes_template")
        migrate(cluster.database_url("wes_template"))
        yield cluster, "wes_template"


_numbers = itertools.count(1)


def fresh_database(template: tuple, schema: bool = True):
    """Create a database (a copy of the migrated template, or empty); return (url, drop)."""
    import psycopg

    from sync.pg_connections import close_pooled

    cluster, name = template
    database = f"wes_test_{os.getpid()}_{next(_numbers)}"
    source = name if schema else "template0"
    with psycopg.connect(cluster.url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {database} TEMPLATE {source} STRATEGY FILE_COPY")
    url = cluster.database_url(database)

    def drop():
        close_pooled(url)
        with psycopg.connect(cluster.url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    return url, drop


@pytest.fixture
def central_db(tmp_path, postgres_template) -> str:
    """The centre's database for one test: a fresh SQLite file, or a fresh migrated PostgreSQL database URL."""
    if postgres_template is None:
        yield str(tmp_path / "central.db")
        return
    url, drop = fresh_database(postgres_template)
    yield url
    drop()
