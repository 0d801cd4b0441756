"""Review UI fixtures: the app over the test database, accounts, logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from firewatch.core.context import AppContext
from firewatch.core.store.db import session_scope
from firewatch.core.users import create_user
from review_ui.app import create_app
from tests.review_ui.factory import ensure_sources

PASSWORD = "correct-horse-9"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@pytest.fixture
def ui_app(app_ctx: AppContext):
    with session_scope(app_ctx.sessions) as session:
        for name, role in (("officer1", "officer"), ("officer2", "officer"), ("boss", "supervisor"),
                           ("root", "admin")):
            create_user(session, name, PASSWORD, role, display_name=name)
        ensure_sources(session)
    return create_app(app_ctx)


def csrf_of(client: TestClient, path: str = "/queue") -> str:
    match = CSRF_META.search(client.get(path).text)
    assert match, "page carries no CSRF token"
    return match.group(1)


def login(app, username: str, password: str = PASSWORD) -> TestClient:
    """A client logged in as ``username``, with ``client.csrf`` holding its session's token."""
    client = TestClient(app, follow_redirects=False)
    token = csrf_of(client, "/login")
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token, "next": "/queue"})
    assert response.status_code == 303, response.text
    client.csrf = csrf_of(client)
    return client


@pytest.fixture
def officer(ui_app) -> Iterator[TestClient]:
    with login(ui_app, "officer1") as client:
        yield client


@pytest.fixture
def officer2(ui_app) -> Iterator[TestClient]:
    with login(ui_app, "officer2") as client:
        yield client


@pytest.fixture
def supervisor(ui_app) -> Iterator[TestClient]:
    with login(ui_app, "boss") as client:
        yield client


@pytest.fixture
def admin(ui_app) -> Iterator[TestClient]:
    with login(ui_app, "root") as client:
        yield client


@pytest.fixture
def db(app_ctx: AppContext):
    """A session on the test database for arranging and checking rows."""
    session = app_ctx.sessions()
    yield session
    session.rollback()
    session.close()
