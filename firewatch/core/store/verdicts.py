"""Store a classifier verdict against a post: the classification row, the post's denormalised
score/flag/district for the queue, and the seller identifiers (contacts) used to join posts.

A verdict is the plain dict the classifier library returns (``Verdict.to_dict()``):
``{score, flagged, label, reasons, contacts:[{kind, value, ...}], prices, places:[{name,
district, ...}]}``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from firewatch.core.store.models import Classification, Contact, Post

SELLER_CONTACT_KINDS = ("phone", "wechat", "qq")


def apply_verdict(
    session: Session,
    post: Post,
    verdict: dict[str, Any],
    classifier_version: str,
    version_id: int | None = None,
) -> Classification:
    """Record ``verdict`` for ``post``; returns the new classification row (flushed)."""
    row = Classification(
        post_id=post.id,
        version_id=version_id,
        classifier_version=classifier_version,
        score=float(verdict.get("score", 0.0)),
        flagged=bool(verdict.get("flagged", False)),
        label=str(verdict.get("label", "")),
        result={k: verdict.get(k, []) for k in ("reasons", "contacts", "prices", "places")},
    )
    session.add(row)
    post.score = row.score
    post.flagged = row.flagged
    post.label = row.label
    post.district = _district(verdict)
    _replace_contacts(session, post, verdict)
    session.flush()
    return row


def _district(verdict: dict[str, Any]) -> str:
    for place in verdict.get("places") or []:
        if place.get("district"):
            return str(place["district"])[:32]
    return ""


def _replace_contacts(session: Session, post: Post, verdict: dict[str, Any]) -> None:
    session.execute(delete(Contact).where(Contact.post_id == post.id, Contact.kind != "author"))
    seen: set[tuple[str, str]] = set()
    for contact in verdict.get("contacts") or []:
        key = (str(contact.get("kind", "")), str(contact.get("value", "")).strip())
        if key[0] in SELLER_CONTACT_KINDS and key[1] and key not in seen:
            seen.add(key)
            session.add(Contact(post_id=post.id, kind=key[0], value=key[1][:255]))
