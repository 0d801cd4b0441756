"""Everything the post page shows, gathered from the store: the newest classification with its
highlighted spans, extracted contacts/prices/places, OCR text, versions, captures, reviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firewatch.core.store.models import Capture, Classification, Post, PostVersion, Review
from firewatch.core.store.queries import newest_classification
from review_ui.highlight import Highlighted, highlight

OCR_FIELDS = ("ocr_text", "ocr")


@dataclass
class PostView:
    post: Post
    classification: Classification | None
    reasons: list[dict[str, Any]]
    title: Highlighted
    text: Highlighted
    ocr: Highlighted | None
    versions: list[PostVersion]
    captures: list[Capture]
    reviews: list[Review]
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def ocr_images(self) -> list[dict[str, Any]]:
        """The images the newest version's OCR text was read from (url, WARC record or error)."""
        images = (self.versions[-1].fields or {}).get("ocr_images") if self.versions else None
        return [i for i in images or [] if isinstance(i, dict)]

    @property
    def skipped_spans(self) -> int:
        return self.title.skipped + self.text.skipped + (self.ocr.skipped if self.ocr else 0)


def ocr_text(post: Post, versions: list[PostVersion]) -> str:
    """Text read from the post's images: the post's own column (the crawler's OCR pipeline), else
    the newest version's column or ``fields`` entry (string or list)."""
    if post.ocr_text:
        return post.ocr_text
    for version in reversed(versions):
        if version.ocr_text:
            return version.ocr_text
        for name in OCR_FIELDS:
            value = (version.fields or {}).get(name)
            if isinstance(value, list):
                value = "\n".join(str(part) for part in value)
            if value:
                return str(value)
    return ""


def post_view(session: Session, post: Post) -> PostView:
    classification = newest_classification(session, post.id)
    result = dict(classification.result or {}) if classification else {}
    reasons = list(result.get("reasons") or [])
    versions = list(session.scalars(select(PostVersion).where(PostVersion.post_id == post.id)
                                    .order_by(PostVersion.version_no)))
    ocr = ocr_text(post, versions)
    return PostView(
        post=post, classification=classification, reasons=reasons, result=result,
        title=highlight(post.title, reasons, "title"), text=highlight(post.text, reasons, "text"),
        ocr=highlight(ocr, reasons, "ocr") if ocr else None, versions=versions,
        captures=list(session.scalars(select(Capture).where(Capture.post_id == post.id)
                                      .order_by(Capture.id.desc()))),
        reviews=list(session.scalars(select(Review).where(Review.post_id == post.id)
                                     .order_by(Review.id.desc()))),
    )
