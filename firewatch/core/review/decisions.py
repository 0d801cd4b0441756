"""Officer decisions on posts: claims that keep two officers off the same post, the decision
itself (a Review row, the post's new status, an audit event), bulk dismissal and approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from firewatch.core import audit
from firewatch.core.review.statuses import APPROVABLE, DECISIONS, NEW_STATUS
from firewatch.core.store.models import Post, Review, User, utcnow
from firewatch.core.users import has_role

ASSIGN_HOURS = 12  # an assignment holds the post for the assignee through a working day


class DecisionError(ValueError):
    """A decision that is not allowed; the message is Chinese, for officers."""


class ClaimConflict(DecisionError):
    """Another officer holds this post."""


@dataclass
class Decision:
    action: str
    department: str = ""
    note: str = ""


def claim(session: Session, post_id: int, user: User, minutes: int, now: datetime | None = None) -> bool:
    """Take (or extend) the claim on a post unless another officer's claim is still running."""
    now = now or utcnow()
    result = session.execute(
        update(Post)
        .where(Post.id == post_id,
               or_(Post.claimed_until.is_(None), Post.claimed_until < now, Post.claimed_by == user.id))
        .values(claimed_by=user.id, claimed_until=now + timedelta(minutes=minutes))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def assign(session: Session, post_ids: list[int], assignee: User, *, actor: str, hours: int,
           ip: str = "") -> int:
    """A supervisor hands posts to an officer: the officer holds them for ``hours``."""
    until = utcnow() + timedelta(hours=hours)
    count = 0
    for post in session.scalars(select(Post).where(Post.id.in_(post_ids))):
        post.claimed_by, post.claimed_until = assignee.id, until
        audit.record(session, "post.assign", actor=actor, object_type="post", object_id=post.id, ip=ip,
                     details={"assignee": assignee.username, "until": until.isoformat()})
        count += 1
    return count


def release(session: Session, post: Post, user: User) -> None:
    if post.claimed_by == user.id:
        post.claimed_by = None
        post.claimed_until = None


def check_allowed(post: Post, user: User, decision: Decision, departments: list[str]) -> None:
    if decision.action not in DECISIONS:
        raise DecisionError(f"未知操作：{decision.action}")
    if decision.action == "refer" and decision.department not in departments:
        raise DecisionError("请选择移交部门")
    if decision.action == "note" and not decision.note.strip():
        raise DecisionError("备注不能为空")
    if decision.action == "approve":
        if not has_role(user, "supervisor"):
            raise DecisionError("只有负责人可以审批")
        if post.status not in APPROVABLE:
            raise DecisionError("只能审批已确认或已移交的帖子")
    elif post.status == "approved" and decision.action != "note" and not has_role(user, "supervisor"):
        raise DecisionError("已审批的帖子只有负责人可以更改")


def decide(session: Session, post: Post, user: User, decision: Decision, *, claim_minutes: int,
           departments: list[str], ip: str = "") -> Review:
    """Record ``decision`` on ``post``; refuses when another officer holds the claim."""
    check_allowed(post, user, decision, departments)
    # A note changes nothing another officer is deciding, so it needs no claim.
    if decision.action != "note" and not claim(session, post.id, user, claim_minutes):
        raise ClaimConflict("该帖子正由其他人员处理")
    session.refresh(post)
    old_status = post.status
    review = Review(post_id=post.id, user_id=user.id, decision=decision.action,
                    department=decision.department if decision.action == "refer" else "",
                    note=decision.note.strip())
    session.add(review)
    if decision.action in NEW_STATUS:
        post.status = NEW_STATUS[decision.action]
        release(session, post, user)
    post.seen = True
    session.flush()
    audit.record(session, f"post.{decision.action}", actor=user.username, object_type="post",
                 object_id=post.id, ip=ip,
                 details={"from": old_status, "to": post.status, "department": review.department,
                          "note": review.note, "review_id": review.id})
    return review


def bulk_dismiss(session: Session, post_ids: list[int], user: User, *, claim_minutes: int,
                 ip: str = "", note: str = "") -> tuple[int, int]:
    """Dismiss many posts at once; posts others hold or that are approved are skipped."""
    done = skipped = 0
    for post_id in post_ids:
        post = session.get(Post, post_id)
        if post is None:
            skipped += 1
            continue
        try:
            decide(session, post, user, Decision("dismiss", note=note), claim_minutes=claim_minutes,
                   departments=[], ip=ip)
            done += 1
        except DecisionError:
            skipped += 1
    return done, skipped
