"""The classifier library as the crawler uses it: loaded once per process and config folder.

No classification logic lives in the crawler; it only calls ``classifiers.load_classifier``.
If the library cannot be imported the crawl still stores posts (unclassified, score 0) and the
run says so, because losing a seller's post is worse than classifying it later.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)


class ClassifierUnavailable(RuntimeError):
    pass


@lru_cache(maxsize=4)
def _load(config_dir: str):
    try:
        from classifiers import load_classifier
    except ImportError as exc:
        raise ClassifierUnavailable(f"分类器库不可用: {exc}") from exc
    return load_classifier(Path(config_dir))


def get_classifier(config_dir: str):
    return _load(str(config_dir))


def search_keywords(config_dir: Path) -> list[str]:
    """The lexicon's search keywords, for sources whose start URLs contain {keyword}."""
    try:
        return list(get_classifier(str(config_dir)).search_keywords or [])
    except ClassifierUnavailable as exc:
        log.warning("%s; using default keywords", exc)
        return []
