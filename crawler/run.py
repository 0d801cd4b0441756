"""One crawl of one source as a database run: counters, the circuit breaker, batched commits,
the run's WARC file, and the final status with its message.

The spider owns one RunState; middlewares and pipelines reach it as ``spider.run``.
"""

from __future__ import annotations

import socket
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any, Iterator

from scrapy.exceptions import DropItem
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from firewatch.core.sources import LoadedSource
from crawler.status import STOPPING
from crawler.worker import StoreWorker
from firewatch.core.context import AppContext
from firewatch.core.store.warc import WarcRecorder
from firewatch.core.store.ingest import ensure_source, known_keys
from firewatch.core.store.models import CrawlRun

RUN_STATUSES = ("ok", "empty", "blocked", "captcha", "login_required", "rate_limited", "error")
BLOCKING_STATUSES = frozenset(STOPPING)


@dataclass
class RunSummary:
    """What a finished crawl reports back to the CLI and to `firewatch demo`."""

    source: str
    run_id: int
    status: str
    pages: int
    items: int
    new_items: int
    updated_items: int
    errors: int
    message: str
    warc_path: str

    @property
    def blocked(self) -> bool:
        return self.status in BLOCKING_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class RunState:
    """Everything one source's crawl accumulates; committed in batches for speed."""

    def __init__(self, ctx: AppContext, loaded: LoadedSource, *, commit_every: int = 200,
                 commit_seconds: float = 2.0):
        self.ctx, self.loaded, self.config = ctx, loaded, loaded.config
        self.commit_every, self.commit_seconds = commit_every, commit_seconds
        self.pages = self.items = self.new_items = self.updated_items = self.errors = 0
        self.listing_pages = self.empty_listing_pages = 0
        self.breaker_status, self.breaker_message = "", ""
        self.error_messages: list[str] = []
        self.notes: list[str] = []  # said in the run's message whatever the status
        self.seen_keys: set[str] = set()
        self._pending, self._last_commit = 0, time.monotonic()
        self._warc: WarcRecorder | None = None
        self.session = None
        self.summary: RunSummary | None = None
        self.worker = StoreWorker(self.config.name)

    def open(self) -> None:
        self.session = self.ctx.sessions()
        self.source = ensure_source(self.session, self.config.name, self.config.platform,
                                    self.config.fetch, self.loaded.path, self.loaded.sha256)
        self.previous_best = self.session.scalar(
            select(func.max(CrawlRun.items)).where(CrawlRun.source_id == self.source.id)) or 0
        self.run = CrawlRun(source_id=self.source.id, hostname=socket.gethostname(), status="running")
        self.session.add(self.run)
        self.session.commit()

    # --- circuit breaker -------------------------------------------------------------------
    @property
    def tripped(self) -> bool:
        return bool(self.breaker_status)

    def trip(self, status: str, message: str) -> None:
        """Stop this source: the first stopping signal wins and is what the run reports."""
        if not self.tripped:
            self.breaker_status, self.breaker_message = status, message

    def record_error(self, message: str) -> None:
        self.errors += 1
        if len(self.error_messages) < 5:
            self.error_messages.append(message)

    # --- store access for pipelines and incremental paging ---------------------------------------
    def known(self, keys: list[str]) -> set[str]:
        """Keys already stored or already seen in this run (own session: the worker owns the other)."""
        fresh = [k for k in keys if k not in self.seen_keys]
        with self.ctx.sessions() as session:
            stored = known_keys(session, self.source, fresh) if fresh else set()
        return (set(keys) - set(fresh)) | stored

    def warc(self) -> WarcRecorder:
        if self._warc is None:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            path = self.ctx.settings.warc_dir / f"{self.config.name}-{stamp}-run{self.run.id}.warc.gz"
            stored_as = self.ctx.settings.home_relative(path)
            self._warc = WarcRecorder(path, info={"firewatch-source": self.config.name,
                                                  "firewatch-run": str(self.run.id)}, stored_as=stored_as)
            self.run.warc_path = stored_as
        return self._warc

    @contextmanager
    def database_errors_dropped(self, item) -> Iterator[None]:
        """A database error drops the item and rolls back the uncommitted batch (re-crawled next
        time, as those posts are then still unknown) instead of breaking every later item."""
        try:
            yield
        except SQLAlchemyError as exc:
            self.session.rollback()
            self.record_error(f"数据库错误，未提交的帖子将在下次爬取时补上: {str(exc).splitlines()[0][:200]}")
            raise DropItem("database error") from exc

    def item_stored(self) -> None:
        self._pending += 1
        now = time.monotonic()
        if self._pending >= self.commit_every or now - self._last_commit >= self.commit_seconds:
            self.commit()

    def commit(self) -> None:
        self.run.pages, self.run.items, self.run.errors = self.pages, self.items, self.errors
        self.run.new_items, self.run.updated_items = self.new_items, self.updated_items
        self.session.commit()
        self._pending, self._last_commit = 0, time.monotonic()

    # --- the end ---------------------------------------------------------------------------
    def close(self, reason: str) -> RunSummary:
        status, message = self._final_status(reason)
        message = "；".join([message, *self.notes])
        self.run.status, self.run.message = status, message
        self.run.finished_at = datetime.now(timezone.utc)
        try:
            self.commit()
        except Exception:
            self.session.rollback()  # keep what earlier batches stored; record the run itself
            self.run.status, self.run.message = "error", f"保存失败: {message}"
            self.session.commit()
        finally:
            if self._warc is not None:
                self._warc.close()
        self.summary = RunSummary(
            self.config.name, self.run.id, self.run.status, self.pages, self.items, self.new_items,
            self.updated_items, self.errors, self.run.message, self.run.warc_path)
        self.session.close()
        return self.summary

    def _final_status(self, reason: str) -> tuple[str, str]:
        errors = f"；{self.errors} 个错误: " + " | ".join(self.error_messages) if self.errors else ""
        if self.tripped:
            return self.breaker_status, f"{self.breaker_message}（已停止该来源）"
        if reason not in ("finished", "closespider_pagecount", "closespider_itemcount"):
            return "error", f"爬取被中断 ({reason}){errors}"
        if self.items:
            return "ok", f"共 {self.pages} 页 {self.items} 条{errors}"
        if self.errors:
            what = "没有成功获取任何页面" if self.pages == 0 else "没有解析到帖子"
            return "error", f"{what}{errors}"
        if self.previous_best and self.listing_pages and self.empty_listing_pages == self.listing_pages:
            return "empty", (f"疑似选择器失效 (selector drift): 列表页返回 200 但解析出 0 条，"
                             f"此前的运行曾有 {self.previous_best} 条{errors}")
        return "empty", f"没有解析到帖子{errors}"
