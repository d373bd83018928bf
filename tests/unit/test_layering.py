"""Imports point inwards: domain is pure, edge and central never import each other."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IO_LIBRARIES = {"flask", "flask_smorest", "kivy", "paho", "psycopg", "sqlite3", "sqlite_utils", "serial", "waitress"}
OURS = {"protocols", "sync", "edge", "central", "handheld", "deploy"}
ALLOWED = {  # package -> our packages it may import
    "protocols": {"protocols"},
    "sync": {"protocols", "sync"},
    "edge": {"protocols", "sync", "edge"},
    "central": {"protocols", "sync", "central"},
    "handheld": {"protocols", "handheld"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_it_may(package):
    offenders = {str(p.relative_to(ROOT)): sorted((imported_roots(p) & OURS) - ALLOWED[package])
                 for p in modules(package)}
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("package", ["edge", "central"])
def test_domain_is_pure(package):
    domain = [p for p in modules(package) if "domain" in p.parts]
    assert domain, f"{package} has no domain package"
    offenders = {str(p.relative_to(ROOT)): sorted(imported_roots(p) & IO_LIBRARIES) for p in domain}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_paho_is_imported_only_by_the_transport_adapter():
    users = [str(p.relative_to(ROOT)) for pkg in ALLOWED for p in modules(pkg) if "paho" in imported_roots(p)]
    assert users == ["sync/mqtt_paho.py"]


def test_psycopg_is_imported_only_by_the_postgres_connections():
    users = [str(p.relative_to(ROOT)) for pkg in ALLOWED for p in modules(pkg) if "psycopg" in imported_roots(p)]
    assert users == ["sync/pg_connections.py"]
