"""The demo posts (posts.yaml), with publication times fixed when the site starts and text that
tests may change to see a new version stored."""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

POSTS_FILE = Path(__file__).with_name("posts.yaml")
LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass
class DemoPost:
    id: int
    kind: str
    author: str
    title: str
    text: str
    published: datetime
    price: str = ""
    location: str = ""
    tags: list[str] = field(default_factory=list)
    image: list[str] = field(default_factory=list)  # lines of a price-list poster (poster.py)

    @property
    def local_time(self) -> str:
        return self.published.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")

    @property
    def plain_text(self) -> str:
        """Text without the HTML some market posts carry."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", " ", self.text)).strip()


class DemoContent:
    """All boards of the demo site; thread-safe edits for re-crawl tests."""

    def __init__(self, now: datetime | None = None):
        now = now or datetime.now(timezone.utc)
        data = yaml.safe_load(POSTS_FILE.read_text(encoding="utf-8"))
        self.boards: dict[str, list[DemoPost]] = {
            board: [_post(entry, now) for entry in entries] for board, entries in data.items()
        }
        self._lock = threading.Lock()

    def board(self, name: str) -> list[DemoPost]:
        return self.boards[name]

    def find(self, board: str, post_id: int) -> DemoPost | None:
        return next((p for p in self.boards[board] if p.id == post_id), None)

    def edit(self, board: str, post_id: int, text: str) -> None:
        """Change a post's text, as a seller editing a post would."""
        with self._lock:
            post = self.find(board, post_id)
            if post is None:
                raise KeyError(f"no post {post_id} on {board}")
            post.text = text

    def all_posts(self) -> list[DemoPost]:
        return [p for board in ("forum", "market", "feed") for p in self.boards[board]]


def _post(entry: dict, now: datetime) -> DemoPost:
    hours = float(entry.pop("hours", 1))
    published = (now - timedelta(hours=hours)).replace(second=0, microsecond=0)
    return DemoPost(published=published, **entry)
