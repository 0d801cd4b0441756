"""The seller panel: other posts that share a phone, WeChat ID, QQ or author with this one, on
any platform, and whether this seller was confirmed before (persuade the first time, handle
repeat sellers strictly)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from firewatch.core.store.models import Contact, Post
from firewatch.core.review.statuses import SALE_STATUSES

MAX_RELATED = 50


@dataclass
class SellerPanel:
    identifiers: list[tuple[str, str]]
    # Each related post with the (kind, value) identifiers it shares with this one.
    related: list[tuple[Post, list[tuple[str, str]]]] = field(default_factory=list)
    confirmed_before: int = 0

    @property
    def repeat(self) -> bool:
        return self.confirmed_before > 0


def seller_panel(session: Session, post: Post) -> SellerPanel:
    contacts = list(session.execute(
        select(Contact.kind, Contact.value).where(Contact.post_id == post.id).order_by(Contact.kind)))
    identifiers = [(kind, value) for kind, value in contacts]
    if post.author.strip() and ("author", post.author) not in identifiers:
        identifiers.append(("author", post.author))
    panel = SellerPanel(identifiers)
    shared = _shared_identifiers(session, post, identifiers)
    if not shared:
        return panel
    posts = session.scalars(select(Post).where(Post.id.in_(list(shared)))
                            .order_by(Post.first_seen_at.desc()).limit(MAX_RELATED))
    panel.related = [(other, sorted(shared[other.id])) for other in posts]
    panel.confirmed_before = sum(1 for other, _ in panel.related if other.status in SALE_STATUSES)
    return panel


def _shared_identifiers(session: Session, post: Post,
                        identifiers: list[tuple[str, str]]) -> dict[int, set[tuple[str, str]]]:
    """Other post ids mapped to the identifiers (kind, value) they share with ``post``."""
    shared: dict[int, set[tuple[str, str]]] = {}
    pairs = [(kind, value) for kind, value in identifiers if kind != "author" or value]
    if pairs:
        same = or_(*(and_(Contact.kind == kind, Contact.value == value) for kind, value in pairs))
        rows = session.execute(select(Contact.post_id, Contact.kind, Contact.value)
                               .where(same, Contact.post_id != post.id).limit(MAX_RELATED * 4))
        for post_id, kind, value in rows:
            shared.setdefault(post_id, set()).add((kind, value))
    if post.author.strip():
        # By name (indexed), on every platform: sellers reuse their shop name across platforms.
        rows = session.execute(select(Post.id).where(Post.author == post.author, Post.id != post.id)
                               .limit(MAX_RELATED))
        for (post_id,) in rows:
            shared.setdefault(post_id, set()).add(("author", post.author))
    return shared
