"""The officers' queue: flagged posts, highest score first, then newest.

The order never depends on who looked at what: opening a post leaves it where it was, so j/k and
上一条/下一条 walk the same list both ways. Pagination is by keyset, never OFFSET, so the hundredth
page costs what the first does: ``(score, first_seen_at, id)`` descends together, so a row-value
comparison walks the index ``ix_posts_review_queue`` (or ``ix_posts_review_all`` when no status is
chosen) from the cursor on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, func, or_, select, tuple_
from sqlalchemy.orm import Session

from firewatch.core.store.models import Post, Source, Tz
from firewatch.core.store.queries import newest_classifications
from firewatch.core.review.statuses import STATUSES
from review_ui.budget import within_budget

PAGE_SIZE = 50
COUNT_BUDGET_MS = 100


class QueueError(ValueError):
    """A filter or cursor that cannot be used; the message is Chinese, for officers."""


@dataclass(frozen=True)
class Cursor:
    """A position in the queue order: the last (or first) row a page showed."""

    score: float
    first_seen_at: datetime
    id: int

    def encode(self) -> str:
        return f"{self.score!r}_{self.first_seen_at.isoformat()}_{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            score, at, post_id = text.split("_")
            moment = datetime.fromisoformat(at)
            if moment.tzinfo is None:
                raise ValueError(text)
            return cls(float(score), moment, int(post_id))
        except ValueError as exc:
            raise QueueError("无效的翻页参数，请从第一页重新开始") from exc

    @classmethod
    def of(cls, post: Post) -> Cursor:
        return cls(float(post.score), post.first_seen_at, post.id)


@dataclass(frozen=True)
class QueueFilters:
    """What an officer narrowed the queue to; every field optional except the status default."""

    status: str = "new"  # one of STATUSES, or "all"
    platform: str = ""
    source: str = ""
    district: str = ""
    date_from: date | None = None
    date_to: date | None = None
    min_score: float | None = None
    q: str = ""
    mine: bool = False  # only posts claimed by / assigned to the viewer

    def __post_init__(self) -> None:
        if self.status != "all" and self.status not in STATUSES:
            raise QueueError(f"未知状态：{self.status}")
        if self.min_score is not None and not 0 <= self.min_score <= 1:
            raise QueueError("最低分须在 0 到 1 之间")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueueError("开始日期晚于结束日期")

    def query_items(self) -> dict[str, str]:
        """The non-empty filters as query-string items, to carry them across pages."""
        items = {"status": self.status, "platform": self.platform, "source": self.source,
                 "district": self.district, "q": self.q,
                 "date_from": self.date_from.isoformat() if self.date_from else "",
                 "date_to": self.date_to.isoformat() if self.date_to else "",
                 "min_score": "" if self.min_score is None else repr(self.min_score),
                 "mine": "1" if self.mine else ""}
        return {key: value for key, value in items.items() if value}


@dataclass
class QueuePage:
    posts: list[Post]
    next_cursor: str | None = None
    prev_cursor: str | None = None
    sources: dict[int, str] = field(default_factory=dict)
    reasons: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def filtered(filters: QueueFilters, zone: ZoneInfo) -> Select:
    """Flagged posts matching ``filters`` (claims not considered)."""
    query = select(Post).where(Post.flagged == True)  # noqa: E712 (= keeps the index usable)
    if filters.status != "all":
        query = query.where(Post.status == filters.status)
    if filters.platform:
        query = query.where(Post.platform == filters.platform)
    if filters.source:
        query = query.where(Post.source_id == select(Source.id).where(Source.name == filters.source)
                            .scalar_subquery())
    if filters.district:
        query = query.where(Post.district == filters.district)
    if filters.min_score is not None:
        query = query.where(Post.score >= filters.min_score)
    if filters.date_from:
        query = query.where(Post.first_seen_at >= _local_midnight(filters.date_from, zone))
    if filters.date_to:
        query = query.where(Post.first_seen_at < _local_midnight(filters.date_to + timedelta(days=1), zone))
    if filters.q:
        query = query.where(or_(Post.title.contains(filters.q, autoescape=True),
                                Post.text.contains(filters.q, autoescape=True)))
    return query


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(timezone.utc)


def visible_to(query: Select, user_id: int, now: datetime, mine: bool = False) -> Select:
    """Hide posts another officer has claimed and whose claim has not yet run out; with
    ``mine``, keep only the posts this officer holds (claimed or assigned by a supervisor)."""
    if mine:
        return query.where(Post.claimed_by == user_id, Post.claimed_until >= now)
    return query.where(or_(Post.claimed_until.is_(None), Post.claimed_until < now,
                           Post.claimed_by == user_id))


def walk(session: Session, query: Select, cursor: Cursor | None, forward: bool, limit: int) -> list[Post]:
    """Up to ``limit`` posts from ``cursor`` on, in queue order (or reverse order going back)."""
    columns = (Post.score, Post.first_seen_at, Post.id)
    if cursor is not None:
        bound = tuple_(bindparam(None, cursor.score, type_=Post.score.type),
                       bindparam(None, cursor.first_seen_at, type_=Tz()),
                       bindparam(None, cursor.id, type_=Post.id.type))
        query = query.where(tuple_(*columns) < bound if forward else tuple_(*columns) > bound)
    query = query.order_by(*(c.desc() if forward else c.asc() for c in columns)).limit(limit)
    return list(session.scalars(query))


def fetch_page(session: Session, query: Select, *, after: str = "", before: str = "",
               limit: int = PAGE_SIZE) -> QueuePage:
    """One page of ``query`` in queue order, with cursors for the pages around it."""
    if after and before:
        raise QueueError("翻页参数冲突")
    cursor = Cursor.decode(after or before) if (after or before) else None
    forward = not before
    rows = walk(session, query, cursor, forward, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    if not forward:
        rows.reverse()
    page = QueuePage(rows)
    if rows:
        first, last = Cursor.of(rows[0]).encode(), Cursor.of(rows[-1]).encode()
        if forward:
            page.next_cursor = last if more else None
            page.prev_cursor = first if cursor is not None else None
        else:
            page.prev_cursor = first if more else None
            page.next_cursor = last
    return page


def neighbour(session: Session, query: Select, at: Cursor, forward: bool) -> int | None:
    """The id of the post after (or before) position ``at`` in queue order, for j/k."""
    rows = walk(session, query, at, forward, 1)
    return rows[0].id if rows else None


def status_counts(session: Session, filters: QueueFilters, zone: ZoneInfo,
                  budget_ms: int = COUNT_BUDGET_MS) -> dict[str, int] | None:
    """How many flagged posts match the other filters, per status (the tabs' numbers); None
    when counting would take longer than ``budget_ms`` (wide text searches on 200,000 posts)."""
    query = filtered(replace(filters, status="all"), zone)
    grouped = query.with_only_columns(Post.status, func.count()).group_by(Post.status)
    rows = within_budget(session, grouped, budget_ms)
    if rows is None:
        return None
    counts = {status: 0 for status in STATUSES}
    counts.update({status: count for status, count in rows})
    counts["all"] = sum(counts.values())
    return counts


def latest_reasons(session: Session, post_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The reasons of each post's newest classification."""
    return {post_id: list((row.result or {}).get("reasons") or [])
            for post_id, row in newest_classifications(session, post_ids).items()}


def source_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Source.id, Source.name)).all())
