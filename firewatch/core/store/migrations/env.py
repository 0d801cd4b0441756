"""Alembic environment: runs migrations against the URL set by firewatch.core.store.db.migrate."""

from alembic import context

from firewatch.core.store.db import make_engine
from firewatch.core.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")  # set by firewatch.core.store.db.migrate (holds a lock)
    if given is not None:
        _run(given)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


run_migrations_online()
