"""Read-side queries shared by the CLI and the UI, returning plain records (the JSON contracts)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firewatch.core.store.models import Classification, CrawlRun, Post, Source

BATCH = 1000
CHUNK = 1000  # post ids per IN (...) lookup


def post_record(post: Post, source_name: str) -> dict[str, Any]:
    """A post as the ``firewatch posts --json`` contract spells it."""
    return {
        "id": post.id,
        "source": source_name,
        "platform": post.platform,
        "url": post.url,
        "title": post.title,
        "text": post.text,
        "author": post.author,
        "published_at": post.published_at,
        "first_seen_at": post.first_seen_at,
        "score": round(post.score, 4),
        "flagged": post.flagged,
        "status": post.status,
    }


def iter_posts(session: Session, *, flagged_only: bool = False) -> Iterator[dict[str, Any]]:
    query = select(Post, Source.name).join(Source, Post.source_id == Source.id).order_by(Post.id)
    if flagged_only:
        query = query.where(Post.flagged.is_(True))
    for post, source_name in session.execute(query.execution_options(yield_per=BATCH)):
        yield post_record(post, source_name)


def run_record(run: CrawlRun, source_name: str) -> dict[str, Any]:
    """A crawl run as the ``firewatch runs --json`` contract spells it."""
    return {
        "source": source_name,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "status": run.status,
        "pages": run.pages,
        "items": run.items,
        "new_items": run.new_items,
        "message": run.message,
        "hostname": run.hostname,  # extension: which machine ran it (several workers share a queue)
    }


def iter_runs(session: Session, *, source: str | None = None) -> Iterator[dict[str, Any]]:
    query = select(CrawlRun, Source.name).join(Source, CrawlRun.source_id == Source.id)
    if source:
        query = query.where(Source.name == source)
    for run, source_name in session.execute(query.order_by(CrawlRun.id)):
        yield run_record(run, source_name)


def newest_classifications(session: Session, post_ids: list[int]) -> dict[int, Classification]:
    """Each post's newest classification (the one its score and flag come from), by index,
    in chunks so that a dashboard over 200,000 posts never loads the historic rows."""
    found: dict[int, Classification] = {}
    for start in range(0, len(post_ids), CHUNK):
        chunk = post_ids[start:start + CHUNK]
        newest = (select(func.max(Classification.id)).where(Classification.post_id.in_(chunk))
                  .group_by(Classification.post_id))
        found.update((row.post_id, row) for row in session.scalars(
            select(Classification).where(Classification.id.in_(newest))))
    return found


def newest_classification(session: Session, post_id: int) -> Classification | None:
    return newest_classifications(session, [post_id]).get(post_id)
