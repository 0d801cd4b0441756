"""The application context handed to commands, the crawler and the UI: settings plus the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from firewatch.core.settings import Settings, load_settings
from firewatch.core.store.db import make_engine, migrate, session_factory


@dataclass
class AppContext:
    settings: Settings
    _migrated: bool = field(default=False, repr=False)

    @classmethod
    def from_overrides(cls, **overrides) -> AppContext:
        return cls(load_settings(**overrides))

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Session factory for a migrated database (migrations run once, on first use)."""
        self.ensure_schema()
        return session_factory(self.engine)

    def ensure_schema(self) -> None:
        if not self._migrated:
            self.settings.home.mkdir(parents=True, exist_ok=True)
            migrate(self.settings.database_url)
            self._migrated = True

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
