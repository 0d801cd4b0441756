"""来源管理 (admins only): list the YAML sources with their health, view, edit, create, enable.

Every change is validated with the crawler's schema before anything is written and is recorded as
an audit event carrying the file's sha256 before and after.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from firewatch.core import audit
from firewatch.core.health import source_health
from review_ui import source_files as files
from review_ui.auth import Admin, DbSession, client_ip
from firewatch.core.labels import RUN_STATUS_BAD
from review_ui.templating import flash, render

router = APIRouter(prefix="/admin/sources")
STALE_AFTER = timedelta(hours=36)  # the same default as `firewatch health`


def sources_dir(request: Request) -> Path:
    return request.app.state.ctx.settings.sources_dir


def _entry_or_404(request: Request, name: str) -> tuple[files.SourceEntry, bytes]:
    try:
        return files.read_entry(sources_dir(request), name)
    except files.SourceEditError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    except FileNotFoundError:
        raise HTTPException(status_code=404, detail=f"没有名为 {name} 的来源文件") from None


def _write(path: Path, data: bytes) -> None:
    """Replace the file; a failure answers 500 in Chinese and rolls back the audit event."""
    try:
        files.replace_file(path, data)
    except (OSError, files.SourceEditError) as exc:
        raise HTTPException(status_code=500, detail=f"写入来源文件失败，文件未改动：{exc}") from exc


def _record(request: Request, session, user, action: str, path: Path, before: bytes | None,
            after: bytes, **extra) -> None:
    audit.record(session, action, actor=user.username, object_type="source", object_id=path.stem,
                 ip=client_ip(request),
                 details={"file": path.name, "sha256_before": files.sha256_of(before) if before is not None else "",
                          "sha256_after": files.sha256_of(after), **extra})


@router.get("")
def sources_page(request: Request, session: DbSession, user: Admin) -> Response:
    entries = files.list_entries(sources_dir(request))
    health = {h.source: h for h in source_health(session, [e.name for e in entries], STALE_AFTER)}
    return render(request, "sources.html", entries=entries, health=health,
                  bad_states=RUN_STATUS_BAD, folder=str(sources_dir(request)))


@router.get("/new")
def new_source_page(request: Request, user: Admin, name: str = "new-source") -> Response:
    return render(request, "source.html", entry=None, source_name=name, is_new=True, error="",
                  text=files.NEW_SOURCE_TEMPLATE.format(name=name), raw_text="", sha256="")


@router.post("")
def create_source(request: Request, session: DbSession, user: Admin, name: Annotated[str, Form()],
                  content: Annotated[str, Form()]) -> Response:
    try:
        sources_dir(request).mkdir(parents=True, exist_ok=True)
        path = files.path_for(sources_dir(request), files.check_name(name.strip()))
        if path.stem == "new":  # /admin/sources/new is the form itself
            raise files.SourceEditError("名称 new 保留给新建页面，请换一个名称")
        if path.exists():
            raise files.SourceEditError(f"来源 {path.stem} 已存在，请打开它编辑")
        data, loaded = files.validate_text(path, content)
    except files.SourceEditError as exc:
        return render(request, "source.html", status_code=400, entry=None, source_name=name, is_new=True,
                      error=str(exc), text=content, raw_text="", sha256="")
    _record(request, session, user, "source.create", path, None, data)
    _write(path, data)
    flash(request, f"已新建来源 {loaded.name}（{'已启用' if loaded.config.enabled else '已停用'}）")
    return RedirectResponse(f"/admin/sources/{path.stem}", status_code=303)


@router.get("/{name}")
def source_page(request: Request, name: str, user: Admin) -> Response:
    entry, raw = _entry_or_404(request, name)
    text = raw.decode("utf-8", errors="replace")
    return render(request, "source.html", entry=entry, source_name=name, is_new=False, error="",
                  text=text, raw_text=text, sha256=files.sha256_of(raw))


@router.post("/{name}")
def save_source(request: Request, name: str, session: DbSession, user: Admin,
                content: Annotated[str, Form()], sha256: Annotated[str, Form()] = "") -> Response:
    entry, raw = _entry_or_404(request, name)
    try:
        files.check_unchanged(raw, sha256)
        data, _ = files.validate_text(entry.path, content)
    except files.SourceEditError as exc:
        status = 409 if isinstance(exc, files.SourceChanged) else 400
        old = raw.decode("utf-8", errors="replace")
        return render(request, "source.html", status_code=status, entry=entry, source_name=name, is_new=False,
                      error=str(exc), text=content, raw_text=old, sha256=files.sha256_of(raw))
    if data == raw:
        flash(request, "内容未改变，未保存")
        return RedirectResponse(f"/admin/sources/{name}", status_code=303)
    _record(request, session, user, "source.update", entry.path, raw, data)
    _write(entry.path, data)
    flash(request, f"已保存来源 {name}；旧版本保存为 {entry.path.name}.bak")
    return RedirectResponse(f"/admin/sources/{name}", status_code=303)


@router.post("/{name}/enabled")
def set_enabled(request: Request, name: str, session: DbSession, user: Admin,
                enabled: Annotated[str, Form()]) -> Response:
    if enabled not in ("0", "1"):
        raise HTTPException(status_code=400, detail="enabled 只能是 0 或 1")
    entry, raw = _entry_or_404(request, name)
    want = enabled == "1"
    try:
        data, loaded = files.validate_text(entry.path, files.with_enabled(raw.decode("utf-8"), want))
    except (files.SourceEditError, UnicodeDecodeError) as exc:
        raise HTTPException(status_code=400, detail=f"来源文件无效，请先修正：{exc}") from exc
    if loaded.config.enabled != want:  # e.g. the key sits in a flow mapping the line edit cannot reach
        raise HTTPException(status_code=400, detail="无法自动修改 enabled，请在编辑页手动修改")
    if data != raw:
        _record(request, session, user, "source.enable" if want else "source.disable", entry.path, raw, data)
        _write(entry.path, data)
    flash(request, f"来源 {name} {'已启用' if want else '已停用'}")
    return RedirectResponse("/admin/sources", status_code=303)
