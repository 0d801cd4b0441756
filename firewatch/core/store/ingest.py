"""Store crawled posts without ever duplicating them.

A post is identified by (source, id) or else its canonical URL. A re-crawl updates ``last_seen_at``;
a changed title or text becomes a new ``PostVersion`` (what was online, when, is never overwritten),
linked to the WARC record of the response it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session
from w3lib.url import canonicalize_url

from firewatch.core.store.warc import WarcLocation
from firewatch.core.store.models import Post, PostVersion, Source

KEY_LENGTH = 500
POST_COLUMNS = ("url", "title", "text", "author", "author_id", "author_url", "location", "price", "images")
Outcome = Literal["new", "updated", "unchanged"]


@dataclass
class IngestResult:
    post: Post
    version: PostVersion | None  # the version created by this call, if any
    outcome: Outcome


def canonical_url(url: str) -> str:
    """Canonical form for identity: sorted query, no fragment, normalised escapes."""
    return canonicalize_url(url.strip()) if url and url.strip() else ""


def post_key(fields: dict[str, Any]) -> str:
    """The identity of a post inside its source: its own id, else its canonical URL."""
    own_id = str(fields.get("id") or "").strip()
    key = own_id or canonical_url(str(fields.get("url") or ""))
    if not key:
        raise ValueError("a post needs an id or a url")
    return key[:KEY_LENGTH]


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\x1f{text}".encode("utf-8")).hexdigest()


def ensure_source(session: Session, name: str, platform: str, fetch: str = "http",
                  config_path: str = "", config_hash: str = "") -> Source:
    """The Source row for ``name``, created or refreshed from the current YAML."""
    source = find_source(session, name)
    if source is None:
        source, _ = _insert_or_reread(session, Source, {"name": name, "platform": platform, "fetch": fetch},
                                      lambda: find_source(session, name))
    source.platform, source.fetch = platform, fetch
    source.config_path, source.config_hash = config_path, config_hash
    session.flush()
    return source


def find_source(session: Session, name: str) -> Source | None:
    return session.scalar(select(Source).where(Source.name == name))


def find_post(session: Session, source: Source, key: str, url: str) -> Post | None:
    post = session.scalar(select(Post).where(Post.source_id == source.id, Post.key == key))
    if post is None and url:
        post = session.scalar(
            select(Post).where(Post.source_id == source.id, Post.url == url).order_by(Post.id).limit(1)
        )
    return post


def known_keys(session: Session, source: Source, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are already stored for ``source`` (for incremental paging)."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update(session.scalars(select(Post.key).where(Post.source_id == source.id, Post.key.in_(chunk))))
    return found


def ingest_post(
    session: Session,
    source: Source,
    fields: dict[str, Any],
    *,
    run_id: int | None = None,
    fetched_at: datetime | None = None,
    warc: WarcLocation | None = None,
) -> IngestResult:
    """Insert or update one post; returns what happened. Flushes, never commits."""
    fetched_at = fetched_at or datetime.now(timezone.utc)
    key = post_key(fields)
    post = find_post(session, source, key, str(fields.get("url") or ""))
    outcome: Outcome = "unchanged"
    if post is None:
        values = dict(source_id=source.id, key=key, platform=source.platform, first_seen_at=fetched_at,
                      last_seen_at=fetched_at, version_count=0, **_field_values(fields))
        post, inserted = _insert_or_reread(session, Post, values, lambda: find_post(session, source, key, ""))
        outcome = "new" if inserted else "unchanged"
    _copy_fields(post, fields)
    post.last_seen_at, post.gone_at = fetched_at, None
    session.flush()
    version = None
    digest = content_hash(post.title, post.text)
    latest = _latest_version(session, post) if outcome != "new" else None
    if latest is None or latest.content_hash != digest:
        version = _new_version(post, fields, digest, run_id, fetched_at, warc)
        session.add(version)
        session.flush()
        outcome = "new" if outcome == "new" else "updated"
    return IngestResult(post, version, outcome)


def _insert_or_reread(session: Session, model: type, values: dict[str, Any], reread: Callable[[], Any]):
    """Insert a ``model`` row unless one with the same unique key exists; return (row, inserted).

    Two workers sharing a database (several machines, one queue) can both miss a post and insert
    it. ON CONFLICT DO NOTHING lets the second one wait for the first and then read its row,
    without aborting the worker's uncommitted batch (as a failed INSERT would on PostgreSQL).
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        session.add(model(**values))  # other databases: a plain insert, no race handling
        session.flush()
        return reread(), True
    session.flush()
    table = model.__table__
    inserted_id = session.scalar(insert(table).values(**values).on_conflict_do_nothing().returning(table.c.id))
    row = reread()
    if row is None:
        raise RuntimeError(f"{table.name}: row vanished after insert: {values}")
    return row, inserted_id is not None


def _field_values(fields: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for column in POST_COLUMNS:
        value = fields.get(column)
        if value not in (None, "", []):
            values[column] = value if column == "images" else str(value)
    return values


def _copy_fields(post: Post, fields: dict[str, Any]) -> None:
    for column, value in _field_values(fields).items():
        setattr(post, column, value)
    if fields.get("published_at") is not None and post.published_at is None:
        post.published_at = fields["published_at"]  # "3 小时前" must not drift on every re-crawl


def _latest_version(session: Session, post: Post) -> PostVersion | None:
    return session.scalar(
        select(PostVersion).where(PostVersion.post_id == post.id).order_by(PostVersion.version_no.desc()).limit(1)
    )


def _new_version(post: Post, fields: dict[str, Any], digest: str, run_id: int | None,
                 fetched_at: datetime, warc: WarcLocation | None) -> PostVersion:
    post.version_count = (post.version_count or 0) + 1
    extra = {k: v for k, v in fields.items() if k not in ("title", "text") and v not in (None, "", [])}
    if isinstance(extra.get("published_at"), datetime):
        extra["published_at"] = extra["published_at"].isoformat()
    return PostVersion(
        post_id=post.id, version_no=post.version_count, title=post.title, text=post.text,
        content_hash=digest, fetched_at=fetched_at, crawl_run_id=run_id, url=post.url,
        warc_path=warc.path if warc else "", warc_record_id=warc.record_id if warc else "",
        warc_offset=warc.offset if warc else None, fields=extra,
    )
