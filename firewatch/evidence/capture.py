"""Browser capture of flagged posts: which posts need one, and the bookkeeping around each attempt.

A post needs a capture when it is flagged (or an officer confirmed it), was not dismissed, and its
latest capture is missing, pending, or failed fewer than ``MAX_ATTEMPTS`` times. Each attempt is
committed before Chromium starts, so a crash still leaves a trace, and a failure keeps its error
for the next run to retry. ``request_recapture`` starts a fresh capture (history is kept).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from firewatch.core.context import AppContext
from firewatch.core.paths import OutsideHomeError
from firewatch.evidence import browser as chromium_capture
from firewatch.evidence.capture_files import save_capture
from firewatch.evidence.provenance import utc_now
from firewatch.core.review.statuses import REVIEWED_STATUSES
from firewatch.core.store.models import Capture, Post, PostVersion

MAX_ATTEMPTS = 5


@dataclass
class CaptureSummary:
    ok: int = 0
    failed: int = 0
    capture_ids: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)  # post id -> error

    @property
    def attempted(self) -> int:
        return self.ok + self.failed


def pending_query(limit: int | None = None):
    """Posts that need a capture, highest score first, with their latest capture (or None)."""
    latest = (select(Capture.post_id, func.max(Capture.id).label("capture_id"))
              .group_by(Capture.post_id).subquery())
    query = (
        select(Post, Capture)
        .outerjoin(latest, latest.c.post_id == Post.id)
        .outerjoin(Capture, Capture.id == latest.c.capture_id)
        .where(
            or_(Post.flagged.is_(True), Post.status.in_(REVIEWED_STATUSES)),
            Post.status != "dismissed",
            Post.url != "",
            or_(Capture.id.is_(None), and_(Capture.status != "ok", Capture.attempts < MAX_ATTEMPTS)),
        )
        .order_by(Post.score.desc(), Post.id)
    )
    return query.limit(limit) if limit else query


def request_recapture(session: Session, post_id: int) -> Capture:
    """Queue a new capture of a post that already has one (e.g. it changed, or needs-recapture)."""
    post = session.get(Post, post_id)
    if post is None:
        raise ValueError(f"帖子 {post_id} 不存在")
    capture = Capture(post_id=post_id, url=post.url, status="pending")
    session.add(capture)
    session.flush()
    return capture


def capture_pending(ctx: AppContext, *, limit: int | None = None, progress: bool = False) -> CaptureSummary:
    """Capture every post that needs it; returns how many succeeded and failed."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _capture_pending(ctx, limit, progress)
    # Playwright's sync API refuses to run inside an event loop (the UI, Scrapy): use a thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_capture_pending, ctx, limit, progress).result()


def _capture_pending(ctx: AppContext, limit: int | None, progress: bool) -> CaptureSummary:
    summary = CaptureSummary()
    with ctx.sessions() as session:
        work = [(post.id, capture.id if capture else None)
                for post, capture in session.execute(pending_query(limit))]
    if not work:
        return summary
    done: set[int] = set()
    try:
        with chromium_capture.chromium(ctx.settings.resolved_chromium()) as browser:
            for post_id, capture_id in work:
                _capture_one(ctx, browser, post_id, capture_id, summary, progress)
                done.add(post_id)
    except Exception as exc:  # noqa: BLE001 - Chromium failed: the rest fail now, retried next run
        for post_id, capture_id in work:
            if post_id not in done:
                _record_failure(ctx, post_id, capture_id, f"浏览器错误: {exc}", summary)
    return summary


def _capture_one(ctx: AppContext, browser, post_id: int, capture_id: int | None,
                 summary: CaptureSummary, progress: bool) -> None:
    capture_id, url, state = _start_attempt(ctx, post_id, capture_id)
    page = chromium_capture.capture_page(browser, url, storage_state=state,
                                         timezone_id=ctx.settings.timezone)
    with ctx.sessions() as session:
        capture = session.get(Capture, capture_id)
        folder = _capture_folder(ctx.settings.captures_dir, post_id, capture)
        try:
            save_capture(capture, page, folder, browser_version=browser.version, settings=ctx.settings,
                         storage_state=state)
        except OSError as exc:
            capture.status, capture.error = "failed", f"无法保存采集文件: {exc}"
        capture.finished_at = page.finished_at
        session.commit()
        ok = capture.status == "ok"
        error = capture.error
    summary.capture_ids.append(capture_id)
    if ok:
        summary.ok += 1
    else:
        summary.failed += 1
        summary.errors[post_id] = error
    if progress:
        state = "成功" if ok else f"失败: {error}"
        print(f"采集 帖子 {post_id} {url} — {state}", file=sys.stderr, flush=True)


def _start_attempt(ctx: AppContext, post_id: int, capture_id: int | None) -> tuple[int, str, str | None]:
    """Mark the attempt as started; returns (capture id, URL, the source's login state or None)."""
    with ctx.sessions() as session:
        post = session.get(Post, post_id)
        capture = session.get(Capture, capture_id) if capture_id else None
        if capture is None:
            capture = Capture(post_id=post_id)
            session.add(capture)
        capture.url = post.url
        capture.version_id = _latest_version_id(session, post_id)
        capture.status = "pending"
        capture.attempts = (capture.attempts or 0) + 1
        capture.started_at = utc_now()
        capture.error = ""
        session.commit()
        return capture.id, post.url, login_state(ctx, post.source.config_path)


def login_state(ctx: AppContext, config_path: str) -> str | None:
    """The source's saved login (``browser.storage_state``, relative to home) if it exists, so a
    post that needs a login is captured the way the crawler saw it."""
    if not config_path or not Path(config_path).is_file():
        return None
    try:
        config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    stored = ((config.get("browser") or {}) if isinstance(config, dict) else {}).get("storage_state")
    if not stored:
        return None
    try:
        path = ctx.settings.in_home(stored)
    except OutsideHomeError:
        return None  # a login kept elsewhere is not used: secrets live in the home
    return str(path) if path.is_file() else None


def _latest_version_id(session: Session, post_id: int) -> int | None:
    query = select(func.max(PostVersion.id)).where(PostVersion.post_id == post_id)
    return session.execute(query).scalar()


def _record_failure(ctx: AppContext, post_id: int, capture_id: int | None, error: str,
                    summary: CaptureSummary) -> None:
    capture_id, _, _ = _start_attempt(ctx, post_id, capture_id)
    with ctx.sessions() as session:
        capture = session.get(Capture, capture_id)
        capture.status = "failed"
        capture.error = error
        capture.finished_at = utc_now()
        session.commit()
    summary.failed += 1
    summary.errors[post_id] = error
    summary.capture_ids.append(capture_id)


def _capture_folder(captures_dir: Path, post_id: int, capture: Capture) -> Path:
    stamp = capture.started_at.strftime("%Y%m%dT%H%M%SZ")
    return (Path(captures_dir) / f"post-{post_id}" / f"{stamp}-{capture.id}").resolve()
