"""Workers starting together on a new database all get a migrated schema (the upgrade is locked)."""

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from firewatch.core.store.models import Base

WORKERS = 4
CODE = "import sys; from firewatch.core.store.db import migrate; migrate(sys.argv[1])"


def _migrate_together(url: str) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", CODE, url], stderr=subprocess.PIPE, text=True)
             for _ in range(WORKERS)]
    failures = [p.stderr.read() for p in procs if p.wait(timeout=120) != 0]
    assert failures == []


def _assert_schema(url: str) -> None:
    engine = create_engine(url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    _migrate_together(url)
    _assert_schema(url)


@pytest.fixture
def fresh_postgres():
    base = os.environ.get("FIREWATCH_TEST_DB", "")
    if not base.startswith("postgresql"):
        pytest.skip("runs in the PostgreSQL pass (FIREWATCH_TEST_DB)")
    admin_url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"fw_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgresql(fresh_postgres):
    _migrate_together(fresh_postgres)
    _assert_schema(fresh_postgres)
