"""What keeps a case from being exported as an evidence package: one list of reasons, read by the
case page, the UI's export button and `firewatch export case` alike."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from firewatch.core.review.cases import fields_of
from firewatch.core.review.statuses import SALE_STATUSES
from firewatch.core.store.models import Case, CasePost, Post


def export_problems(session: Session, case: Case, require_approval: bool) -> list[str]:
    """Why this case cannot be exported yet, in Chinese for officers (empty: it can)."""
    problems = list(fields_of(case).problems())
    statuses = dict(session.execute(select(Post.id, Post.status).join(CasePost, CasePost.post_id == Post.id)
                                    .where(CasePost.case_id == case.id).order_by(Post.id)).all())
    if not statuses:
        problems.append("案件中没有帖子")
    not_sales = [pid for pid, status in statuses.items() if status not in SALE_STATUSES]
    if not_sales:
        problems.append(f"以下帖子未被确认为销售：{_ids(not_sales)}")
    if require_approval:
        pending = [pid for pid, status in statuses.items() if status in SALE_STATUSES and status != "approved"]
        if pending:
            problems.append(f"以下帖子尚未经负责人审批：{_ids(pending)}")
    return problems


def _ids(post_ids: list[int]) -> str:
    return "、".join(f"#{pid}" for pid in post_ids)
