"""Gather everything a case package needs from the store into plain data (no session afterwards).

For each post: its fields, every stored version with the WARC record it came from, its latest
successful browser capture (or the latest failure, so the 笔录 can say why there is none), the
review decisions, and the audit events about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firewatch.core import audit
from firewatch.core.review.cases import CaseFields, case_post_ids, fields_of
from firewatch.core.store.models import AuditEvent, Capture, Case, Post, PostVersion, Review


@dataclass
class PostEvidence:
    post: dict[str, Any]
    source: dict[str, str]
    versions: list[dict[str, Any]]
    capture: dict[str, Any] | None
    capture_failure: str
    reviews: list[dict[str, Any]]
    audit: list[dict[str, Any]]

    @property
    def post_id(self) -> int:
        return self.post["id"]


@dataclass
class CaseBundle:
    case_id: int
    fields: CaseFields
    created_at: datetime
    posts: list[PostEvidence] = field(default_factory=list)
    case_audit: list[dict[str, Any]] = field(default_factory=list)


POST_COLUMNS = ("id", "key", "platform", "url", "title", "text", "author", "author_id", "author_url",
                "location", "price", "published_at", "first_seen_at", "last_seen_at", "gone_at",
                "score", "flagged", "label", "district", "status")
VERSION_COLUMNS = ("id", "version_no", "title", "text", "content_hash", "fetched_at", "crawl_run_id", "url",
                   "warc_path", "warc_record_id", "warc_offset", "fields")


def collect_case(session: Session, case: Case) -> CaseBundle:
    bundle = CaseBundle(case.id, fields_of(case), case.created_at)
    for post_id in case_post_ids(session, case.id):
        bundle.posts.append(_post_evidence(session, session.get(Post, post_id)))
    bundle.case_audit = [audit_row(e) for e in audit.events_for(session, "case", [str(case.id)])]
    return bundle


def _post_evidence(session: Session, post: Post) -> PostEvidence:
    versions = session.scalars(
        select(PostVersion).where(PostVersion.post_id == post.id).order_by(PostVersion.version_no))
    captures = list(session.scalars(
        select(Capture).where(Capture.post_id == post.id).order_by(Capture.id.desc())))
    good = next((c for c in captures if c.status == "ok"), None)
    reviews = session.scalars(select(Review).where(Review.post_id == post.id).order_by(Review.id))
    return PostEvidence(
        post=_columns(post, POST_COLUMNS),
        source={"name": post.source.name, "platform": post.source.platform,
                "config_path": post.source.config_path},
        versions=[_columns(v, VERSION_COLUMNS) for v in versions],
        capture=_capture_row(good) if good else None,
        capture_failure="" if good else (captures[0].error if captures else "尚未进行浏览器采集"),
        reviews=[_review_row(r) for r in reviews],
        audit=[audit_row(e) for e in audit.events_for(session, "post", [str(post.id)])],
    )


def _columns(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def _capture_row(capture: Capture) -> dict[str, Any]:
    return _columns(capture, ("id", "version_id", "url", "screenshot_path", "dom_path", "warc_path",
                              "started_at", "finished_at", "attempts", "meta"))


def _review_row(review: Review) -> dict[str, Any]:
    user = review.user
    return {"id": review.id, "decision": review.decision, "department": review.department,
            "note": review.note, "created_at": review.created_at,
            "user": user.username if user else "", "user_name": user.display_name if user else ""}


def audit_row(event: AuditEvent) -> dict[str, Any]:
    return {"id": event.id, "at": event.at, "actor": event.actor, "action": event.action,
            "object_type": event.object_type, "object_id": event.object_id, "details": event.details,
            "ip": event.ip, "prev_hash": event.prev_hash, "hash": event.hash}
