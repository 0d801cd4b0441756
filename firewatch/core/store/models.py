"""The firewatch schema: SQLAlchemy 2 models. Migrations in ``migrations/versions`` must match.

Posts are identified by (source, key), where key is the source's own id or else the canonical URL.
Text changes become new ``PostVersion`` rows so that what was online, when, is never overwritten.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Tz(TypeDecorator[datetime]):
    """UTC-aware timestamps on every backend; SQLite stores them naive, so add UTC back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # officer | supervisor | admin
    display_name: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow)


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    platform: Mapped[str] = mapped_column(String(32))
    fetch: Mapped[str] = mapped_column(String(16), default="http")
    config_path: Mapped[str] = mapped_column(String(500), default="")
    config_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(Tz())
    # ok, empty, blocked, captcha, login_required, rate_limited, error; "running" while in progress
    status: Mapped[str] = mapped_column(String(20), default="running")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    items: Mapped[int] = mapped_column(Integer, default=0)
    new_items: Mapped[int] = mapped_column(Integer, default=0)
    updated_items: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    hostname: Mapped[str] = mapped_column(String(255), default="")
    warc_path: Mapped[str] = mapped_column(String(500), default="")

    source: Mapped[Source] = relationship()


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("source_id", "key", name="uq_posts_source_key"),
        # Review UI keyset pagination: (score, first_seen_at, id) descending, whoever looked.
        Index("ix_posts_review_queue", "flagged", "status", "score", "first_seen_at", "id"),
        Index("ix_posts_review_all", "flagged", "score", "first_seen_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    key: Mapped[str] = mapped_column(String(500))  # source's id, else canonical URL
    platform: Mapped[str] = mapped_column(String(32), index=True)
    url: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    ocr_text: Mapped[str] = mapped_column(Text, default="")  # text read from the post's images
    author: Mapped[str] = mapped_column(String(255), default="", index=True)
    author_id: Mapped[str] = mapped_column(String(255), default="")
    author_url: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(255), default="")
    price: Mapped[str] = mapped_column(String(255), default="")
    images: Mapped[list[Any]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(Tz())
    first_seen_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow, index=True)
    last_seen_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow)
    gone_at: Mapped[datetime | None] = mapped_column(Tz())  # seen deleted upstream
    version_count: Mapped[int] = mapped_column(Integer, default=1)
    # Latest classification, denormalised for the queue.
    score: Mapped[float] = mapped_column(Float, default=0.0)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    label: Mapped[str] = mapped_column(String(32), default="")
    district: Mapped[str] = mapped_column(String(32), default="", index=True)
    # Review state: new, confirmed, dismissed, escalated, referred, approved
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    seen: Mapped[bool] = mapped_column(Boolean, default=False)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_until: Mapped[datetime | None] = mapped_column(Tz())

    source: Mapped[Source] = relationship()
    versions: Mapped[list[PostVersion]] = relationship(
        back_populates="post", order_by="PostVersion.version_no"
    )


class PostVersion(Base):
    __tablename__ = "post_versions"
    __table_args__ = (UniqueConstraint("post_id", "version_no", name="uq_post_versions_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    ocr_text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    url: Mapped[str] = mapped_column(Text, default="")
    # Where the raw response that yielded this version lies: file, WARC-Record-ID, byte offset.
    warc_path: Mapped[str] = mapped_column(String(500), default="")
    warc_record_id: Mapped[str] = mapped_column(String(100), default="")
    warc_offset: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    post: Mapped[Post] = relationship(back_populates="versions")


class Classification(Base):
    __tablename__ = "classifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("post_versions.id"))
    classifier_version: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean)
    label: Mapped[str] = mapped_column(String(32), default="")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # reasons, contacts, prices, places
    created_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow)


class Contact(Base):
    """A seller identifier seen in a post: phone, wechat, qq, author. Joins a seller's posts."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("post_id", "kind", "value", name="uq_contacts_post_kind_value"),
        Index("ix_contacts_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(255))


class Review(Base):
    """One officer action on a post: confirm, dismiss, escalate, refer, approve, note."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    department: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow, index=True)

    user: Mapped[User] = relationship()


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    cause: Mapped[str] = mapped_column(String(255), default="")  # 案由
    case_number: Mapped[str] = mapped_column(String(100), default="")
    unit: Mapped[str] = mapped_column(String(255), default="")
    investigators: Mapped[list[Any]] = mapped_column(JSON, default=list)
    witness: Mapped[str] = mapped_column(String(255), default="")
    no_witness_reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow)

    posts: Mapped[list[Post]] = relationship(secondary="case_posts", order_by="Post.id")


class CasePost(Base):
    __tablename__ = "case_posts"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(Tz(), default=utcnow)


class Capture(Base):
    """A browser capture of a post: screenshot, rendered DOM and its own WARC records."""

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("post_versions.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, ok, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    url: Mapped[str] = mapped_column(Text, default="")
    screenshot_path: Mapped[str] = mapped_column(String(500), default="")
    dom_path: Mapped[str] = mapped_column(String(500), default="")
    warc_path: Mapped[str] = mapped_column(String(500), default="")
    started_at: Mapped[datetime | None] = mapped_column(Tz())
    finished_at: Mapped[datetime | None] = mapped_column(Tz())
    error: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # tool versions, machine, hashes


class AuditEvent(Base):
    """Append-only, hash-chained: hash = sha256(prev_hash + canonical JSON of the event)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Tz(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), unique=True)
