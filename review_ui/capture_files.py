"""Serving captured evidence files without ever serving captured pages as live pages: screenshots
go out only if they really are PNG, as image/png; the DOM only as a text/plain download."""

from __future__ import annotations

from pathlib import Path

from fastapi import HTTPException
from fastapi.responses import FileResponse

from firewatch.core.paths import OutsideHomeError
from firewatch.core.settings import Settings

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A sandbox CSP on the file itself: even if a browser were tricked into rendering it, no script.
FILE_HEADERS = {"Content-Security-Policy": "default-src 'none'; sandbox", "X-Content-Type-Options": "nosniff"}


def stored_file(settings: Settings, stored: str) -> Path:
    """The file a capture row names, which must lie inside the data folder."""
    if not stored:
        raise HTTPException(status_code=404, detail="没有该文件")
    try:
        path = settings.in_home(stored)
    except OutsideHomeError:
        path = None
    if path is None or not path.is_file():
        raise HTTPException(status_code=404, detail="证据文件不存在或不在数据目录中")
    return path


def screenshot_response(settings: Settings, stored: str) -> FileResponse:
    path = stored_file(settings, stored)
    with path.open("rb") as handle:
        if handle.read(len(PNG_SIGNATURE)) != PNG_SIGNATURE:
            raise HTTPException(status_code=415, detail="截图不是 PNG 文件，拒绝显示")
    return FileResponse(path, media_type="image/png", headers=FILE_HEADERS)


def dom_response(settings: Settings, stored: str, post_id: int) -> FileResponse:
    path = stored_file(settings, stored)
    return FileResponse(path, media_type="text/plain; charset=utf-8", headers=FILE_HEADERS,
                        filename=f"post-{post_id}-dom.txt", content_disposition_type="attachment")
