"""One typed settings object for the whole application.

Precedence, lowest first: built-in defaults < ``$FIREWATCH_CONFIG/settings.yaml`` < environment
variables (``FIREWATCH_*``) < explicit overrides (command-line flags).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from firewatch.core.clock import LocalClock, zone_named
from firewatch.core.paths import relative_to_home, resolve_in_home

SETTINGS_FILE_NAME = "settings.yaml"


class SettingsError(ValueError):
    """A settings file or value that cannot be used; the message names the file and key."""


class Settings(BaseSettings):
    """Everything firewatch reads from its environment. Each field documents itself."""

    model_config = SettingsConfigDict(env_prefix="FIREWATCH_", extra="ignore")

    home: Path = Field(Path("var"), description="Data folder: database, WARC files, captures, keys")
    db: str = Field("", description="SQLAlchemy URL; empty means sqlite:///$FIREWATCH_HOME/firewatch.db")
    config: Path = Field(Path("config"), description="Folder with sources/, lexicon/ and settings.yaml")
    secret_key: str = Field("", description="Session signing key; empty means one generated in home")
    session_minutes: int = Field(480, description="Review UI session lifetime in minutes")
    claim_minutes: int = Field(
        15, description="Length of the claim a decision takes on a post (released when the decision is recorded; viewing claims nothing)")
    require_approval: bool = Field(True, description="Confirmed hits need a supervisor before export")
    departments: list[str] = Field(
        default_factory=lambda: ["派出所", "应急管理", "综合行政执法局", "市场监管"],
        description="Departments a confirmed sale can be referred to",
    )
    chromium_path: str = Field("", description="Chromium binary; empty means /usr/bin/chromium if present")
    user_agent: str = Field(
        "firewatch/0.1 (+public-safety patrol; contact: local emergency management bureau)",
        description="User-Agent sent by the crawler",
    )
    redis_url: str = Field("", description="Redis URL for the shared crawl queue; empty means single machine")
    redis_prefix: str = Field("firewatch", description="Prefix of the shared queue's Redis keys")
    redis_idle_seconds: float = Field(
        30.0, gt=0, description="A worker leaves a shared crawl after the queue stayed empty this long")
    redis_ttl_seconds: int = Field(
        3600, gt=0, description="Shared queue keys expire this long after the last worker's last page")
    timezone: str = Field("Asia/Shanghai", description="Local time zone for display and the 笔录")
    unit: str = Field("", description="The unit (单位) printed on evidence records")
    place: str = Field("", description="Where collection happens, printed on the 笔录; empty means hostname")
    pdf_font: str = Field(
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        description="CJK TrueType font embedded in the 笔录 PDF; reportlab's STSong-Light when missing",
    )
    tsa_url: str = Field("", description="RFC 3161 timestamp server for evidence packages; empty means none")
    tsa_ca: str = Field("", description="Root certificate (PEM) that `verify` trusts for RFC 3161 tokens")
    capture_after_crawl: bool = Field(True, description="`crawl` screenshots newly flagged posts when done")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        zone_named(value)
        return value

    @property
    def clock(self) -> LocalClock:
        """Local time in the configured zone, as officers and the 笔录 read it."""
        return LocalClock.named(self.timezone)

    @field_validator("session_minutes", "claim_minutes")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive number of minutes")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Earlier sources win: flags, then environment, then the YAML file, then defaults.
        return (init_settings, env_settings, _YamlFileSource(settings_cls, init_settings))

    @property
    def database_url(self) -> str:
        return self.db or f"sqlite:///{self.home / 'firewatch.db'}"

    @property
    def sources_dir(self) -> Path:
        return self.config / "sources"

    @property
    def warc_dir(self) -> Path:
        return self.home / "warc"

    @property
    def captures_dir(self) -> Path:
        return self.home / "captures"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    @property
    def secrets_dir(self) -> Path:
        return self.home / "secrets"

    def in_home(self, stored: str | Path) -> Path:
        """A file the store or a source file names, resolved inside the home (else refused)."""
        return resolve_in_home(self.home, stored)

    def home_relative(self, path: str | Path) -> str:
        """The name under which the store keeps a file of the home."""
        return relative_to_home(self.home, path)

    def resolved_chromium(self) -> str | None:
        """The Chromium to drive: configured path, Debian's, or None for Playwright's own."""
        for candidate in (self.chromium_path, "/usr/bin/chromium"):
            if candidate and Path(candidate).exists():
                return candidate
        return None


class _YamlFileSource(PydanticBaseSettingsSource):
    """Reads ``settings.yaml`` from the config folder chosen by flag or environment."""

    def __init__(self, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource):
        super().__init__(settings_cls)
        self._init = init_settings

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        config_dir = self._init().get("config") or os.environ.get("FIREWATCH_CONFIG") or "config"
        path = Path(config_dir) / SETTINGS_FILE_NAME
        if not path.exists():
            return {}
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise SettingsError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise SettingsError(f"{path}: expected a mapping of setting names to values")
        known = set(Settings.model_fields)
        unknown = sorted(set(data) - known)
        if unknown:
            raise SettingsError(f"{path}: unknown setting(s): {', '.join(unknown)}")
        return data


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, with ``overrides`` (flags) taking precedence over everything else."""
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
