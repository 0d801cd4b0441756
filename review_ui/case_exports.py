"""Case exports from the UI: what blocks an export, running the evidence exporter into the data
folder, and listing/serving the packages it produced."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from firewatch.core.review.cases import fields_of
from firewatch.core.context import AppContext
from firewatch.core.store.models import Case, CasePost, Post
from firewatch.core.review.decisions import SALE_STATUSES

EXPORTS_FOLDER = "exports"


def export_root(ctx: AppContext, case_id: int) -> Path:
    return ctx.settings.home / EXPORTS_FOLDER / f"case-{case_id}"


def export_problems(session: Session, case: Case, require_approval: bool) -> list[str]:
    """Why this case cannot be exported yet (empty list: it can)."""
    problems = list(fields_of(case).problems())
    posts = list(session.scalars(select(Post).join(CasePost, CasePost.post_id == Post.id)
                                 .where(CasePost.case_id == case.id)))
    if not posts:
        problems.append("案件中还没有帖子")
    not_sales = [p.id for p in posts if p.status not in SALE_STATUSES]
    if not_sales:
        problems.append(f"帖子 {', '.join(map(str, not_sales))} 未被确认为销售")
    if require_approval:
        pending = [p.id for p in posts if p.status in SALE_STATUSES and p.status != "approved"]
        if pending:
            problems.append(f"帖子 {', '.join(map(str, pending))} 尚未经负责人审批")
    return problems


def run_export(ctx: AppContext, case_id: int, actor: str) -> Path:
    """Call the evidence exporter into a new, time-stamped folder; returns the package path."""
    from firewatch.evidence.export import ExportError, export_case
    from firewatch.evidence.signing import SigningKeyError

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out_dir = export_root(ctx, case_id) / stamp
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        return Path(export_case(ctx, case_id, out_dir, actor=actor))
    except (ExportError, SigningKeyError) as exc:
        if not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise HTTPException(status_code=409, detail=str(exc)) from exc


def list_exports(ctx: AppContext, case_id: int) -> list[tuple[str, int]]:
    """Produced files as (path relative to the case's export folder, size), newest first."""
    root = export_root(ctx, case_id)
    if not root.is_dir():
        return []
    files = [p for p in root.rglob("*") if p.is_file()]
    files.sort(key=lambda p: (p.parent.name, p.name), reverse=True)
    return [(p.relative_to(root).as_posix(), p.stat().st_size) for p in files]


def export_file(ctx: AppContext, case_id: int, name: str) -> Path:
    root = export_root(ctx, case_id).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise HTTPException(status_code=404, detail="没有该导出文件")
    return path
