"""Case exports from the UI: running the evidence exporter into the data folder, and
listing/serving the packages it produced (what blocks an export is firewatch.core.review.exports)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from fastapi import HTTPException

from firewatch.core.context import AppContext

EXPORTS_FOLDER = "exports"


def export_root(ctx: AppContext, case_id: int) -> Path:
    return ctx.settings.home / EXPORTS_FOLDER / f"case-{case_id}"


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
