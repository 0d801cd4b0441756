"""Scrapy spider loader over config/sources/*.yaml, so `scrapy list` names every YAML source and
`scrapy crawl NAME` crawls it. A broken file is reported (file, key, problem) and skipped."""

from __future__ import annotations

import logging
from pathlib import Path

from firewatch.core.sources import SourceConfigError, load_source, source_files

log = logging.getLogger(__name__)


def sources_dir_from(settings) -> Path:
    """The runner names the folder; under plain `scrapy list` it is the settings object's."""
    explicit = settings.get("FIREWATCH_SOURCES_DIR")
    if explicit:
        return Path(explicit)
    from firewatch.core.settings import load_settings

    return load_settings().sources_dir


class YamlSpiderLoader:
    def __init__(self, settings):
        self.sources_dir = sources_dir_from(settings)
        self._sources = {}
        self.errors: list[SourceConfigError] = []
        for path in source_files(self.sources_dir):
            try:
                loaded = load_source(path)
            except SourceConfigError as exc:
                self.errors.append(exc)
                log.error("skipping source file: %s", exc)
                continue
            self._sources.setdefault(loaded.name, loaded)

    @classmethod
    def from_settings(cls, settings) -> "YamlSpiderLoader":
        return cls(settings)

    def load(self, spider_name: str):
        from crawler.spiders.factory import spider_class

        if spider_name not in self._sources:
            problems = "; ".join(str(e) for e in self.errors)
            raise KeyError(f"Spider not found: {spider_name}" + (f" (invalid files: {problems})" if problems else ""))
        return spider_class(self._sources[spider_name])

    def list(self) -> list[str]:
        return sorted(self._sources)

    def find_by_request(self, request) -> list[str]:
        from urllib.parse import urlsplit

        host = urlsplit(request.url).hostname
        return [name for name, s in self._sources.items()
                if any(urlsplit(u.replace("{keyword}", "")).hostname == host for u in s.config.start_urls)]
