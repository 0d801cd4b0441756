"""Time-boxed read queries: a query that would take longer than its budget is abandoned and the
caller shows the page without that figure, instead of making an officer wait.

SQLite: a progress handler interrupts the statement. PostgreSQL: ``statement_timeout`` inside a
savepoint, so the cancelled statement does not spoil the request's transaction.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Executable, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

SQLITE_CHECK_EVERY = 10_000  # virtual-machine instructions between clock checks


def within_budget(session: Session, query: Executable, budget_ms: int) -> list[Any] | None:
    """All rows of ``query``, or None when it runs out of time."""
    if session.get_bind().dialect.name == "postgresql":
        return _postgresql(session, query, budget_ms)
    return _sqlite(session, query, budget_ms)


def _postgresql(session: Session, query: Executable, budget_ms: int) -> list[Any] | None:
    savepoint = session.begin_nested()
    try:
        session.execute(text(f"SET LOCAL statement_timeout = {int(budget_ms)}"))
        rows = list(session.execute(query))
        session.execute(text("SET LOCAL statement_timeout TO DEFAULT"))
    except OperationalError:
        savepoint.rollback()  # also undoes the SET LOCAL
        return None
    savepoint.commit()
    return rows


def _sqlite(session: Session, query: Executable, budget_ms: int) -> list[Any] | None:
    raw = session.connection().connection.driver_connection
    deadline = time.monotonic() + budget_ms / 1000
    raw.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, SQLITE_CHECK_EVERY)
    try:
        return list(session.execute(query))
    except OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        return None
    finally:
        raw.set_progress_handler(None, 0)
