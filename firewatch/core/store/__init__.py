"""The store: models, engine and session handling, migrations, queries."""

from firewatch.core.store.db import make_engine, migrate, session_factory, session_scope

__all__ = ["make_engine", "migrate", "session_factory", "session_scope"]
