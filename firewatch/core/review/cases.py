"""Cases: a named set of confirmed sales with the fields a 笔录 needs (案由, 案号, unit,
investigators, witness). The one place these rules live: ``firewatch case create`` and the
review UI both come through here, so neither can put an unconfirmed post into a case."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from firewatch.core import audit
from firewatch.core.review.statuses import SALE_STATUSES
from firewatch.core.store.models import Case, CasePost, Post

MIN_INVESTIGATORS = 2
# Officers type a list of names however they are used to: 张伟,李娜 / 张伟、李娜 / one per line.
NAME_SEPARATORS = re.compile(r"[,，、;；\n]")


class CaseError(ValueError):
    """A case request that cannot be carried out; the message is Chinese, for officers."""


@dataclass
class CaseFields:
    title: str
    cause: str = ""
    case_number: str = ""
    unit: str = ""
    investigators: list[str] = field(default_factory=list)
    witness: str = ""
    no_witness_reason: str = ""

    def problems(self) -> list[str]:
        """What still keeps this case from a valid 笔录 (empty when export-ready)."""
        found = []
        if not self.title.strip():
            found.append("缺少案件名称")
        if len([name for name in self.investigators if name.strip()]) < MIN_INVESTIGATORS:
            found.append("侦查(执法)人员不少于二人")
        if not self.witness.strip() and not self.no_witness_reason.strip():
            found.append("须填写见证人，或注明无见证人的原因")
        return found


def investigator_names(values: list[str]) -> list[str]:
    """The names in what was typed (one value or several, each possibly a list)."""
    return [name.strip() for value in values for name in NAME_SEPARATORS.split(value) if name.strip()]


def create_case(session: Session, fields: CaseFields, post_ids: list[int], actor: str = "",
                user_id: int | None = None) -> Case:
    if not fields.title.strip():
        raise CaseError("缺少案件名称")
    for post_id in post_ids:
        _check_sale(session, post_id)
    case = Case(
        title=fields.title.strip(), cause=fields.cause, case_number=fields.case_number,
        unit=fields.unit, investigators=[n.strip() for n in fields.investigators if n.strip()],
        witness=fields.witness, no_witness_reason=fields.no_witness_reason, created_by=user_id,
    )
    session.add(case)
    session.flush()
    audit.record(session, "case.create", actor=actor, object_type="case", object_id=case.id,
                 details={"title": case.title})
    for post_id in post_ids:
        add_post(session, case, post_id, actor=actor)
    return case


def _check_sale(session: Session, post_id: int) -> None:
    post = session.get(Post, post_id)
    if post is None:
        raise CaseError(f"帖子 {post_id} 不存在")
    if post.status not in SALE_STATUSES:
        raise CaseError(f"帖子 {post_id} 未被确认为销售，不能加入案件")


def add_post(session: Session, case: Case, post_id: int, actor: str = "") -> None:
    """Put a confirmed sale into the case (refused for any other post)."""
    _check_sale(session, post_id)
    if session.get(CasePost, (case.id, post_id)) is None:
        session.add(CasePost(case_id=case.id, post_id=post_id))
        session.flush()
        audit.record(session, "case.add_post", actor=actor, object_type="case", object_id=case.id,
                     details={"post_id": post_id})


def remove_post(session: Session, case: Case, post_id: int, actor: str = "") -> None:
    link = session.get(CasePost, (case.id, post_id))
    if link is not None:
        session.delete(link)
        session.flush()
        audit.record(session, "case.remove_post", actor=actor, object_type="case",
                     object_id=case.id, details={"post_id": post_id})


def case_post_ids(session: Session, case_id: int) -> list[int]:
    query = select(CasePost.post_id).where(CasePost.case_id == case_id).order_by(CasePost.post_id)
    return list(session.scalars(query))


def update_fields(session: Session, case: Case, fields: CaseFields, actor: str = "") -> None:
    for name in ("title", "cause", "case_number", "unit", "witness", "no_witness_reason"):
        setattr(case, name, getattr(fields, name))
    case.investigators = [n.strip() for n in fields.investigators if n.strip()]
    session.flush()
    audit.record(session, "case.update", actor=actor, object_type="case", object_id=case.id,
                 details={"fields": fields.__dict__})


def fields_of(case: Case) -> CaseFields:
    return CaseFields(case.title, case.cause, case.case_number, case.unit,
                      list(case.investigators or []), case.witness, case.no_witness_reason)
