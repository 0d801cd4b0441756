"""Shared fixtures. The database backend comes from FIREWATCH_TEST_DB: unset means a fresh SQLite
file per test; a PostgreSQL URL (e.g. postgresql://postgres@127.0.0.1:5432/test) means one
throw-away database for the session, created next to the given one and emptied after each test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from firewatch.core.context import AppContext
from firewatch.core.settings import load_settings
from firewatch.core.store.db import make_engine, migrate
from firewatch.core.store.models import Base

REPO = Path(__file__).resolve().parent.parent
CONFIG_DIR = REPO / "config"
REAL_FIXTURES = REPO / "tests" / "fixtures" / "real"  # saved public pages, byte for byte


def _admin_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    base = os.environ.get("FIREWATCH_TEST_DB", "")
    if not base.startswith("postgresql"):
        yield None
        return
    name = f"fw_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_admin_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_admin_url(base)).set(database=name).render_as_string(hide_password=False)
    migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def db_url(tmp_path: Path, postgres_url: str | None) -> Iterator[str]:
    """A migrated, empty database for one test."""
    if postgres_url is None:
        url = f"sqlite:///{tmp_path / 'firewatch.db'}"
        migrate(url)
        yield url
        return
    yield postgres_url
    engine = make_engine(postgres_url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app_ctx(tmp_path: Path, db_url: str) -> Iterator[AppContext]:
    """An application context with its own home folder and database, using the repo's config."""
    home = tmp_path / "home"
    ctx = AppContext(load_settings(home=home, db=db_url, config=CONFIG_DIR))
    ctx.ensure_schema()
    yield ctx
    ctx.close()


@pytest.fixture
def cli_env(app_ctx: AppContext) -> dict[str, str]:
    """Environment for running ``firewatch`` against the test's home and database."""
    env = dict(os.environ)
    env.update(
        FIREWATCH_HOME=str(app_ctx.settings.home),
        FIREWATCH_DB=app_ctx.settings.database_url,
        FIREWATCH_CONFIG=str(CONFIG_DIR),
        # Tests that want screenshots after a crawl ask for them with --capture.
        FIREWATCH_CAPTURE_AFTER_CRAWL="false",
    )
    return env
