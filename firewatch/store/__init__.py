"""The store: models, engine and session handling, migrations, queries."""

from firewatch.store.db import make_engine, migrate, session_factory, session_scope

__all__ = ["make_engine", "migrate", "session_factory", "session_scope"]
