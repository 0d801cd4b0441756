"""Write one browser capture to disk: screenshot.png, dom.html, capture.warc.gz and meta.json.

The capture's own WARC holds the responses Chromium received (response + request records), then
the screenshot, the rendered DOM and the capture metadata as resource records, so the WARC alone
carries everything with per-record digests. meta.json repeats the metadata for people.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from firewatch.evidence.browser import PageCapture
from firewatch.core.clock import LocalClock
from firewatch.core.settings import Settings
from firewatch.evidence.provenance import library_versions, machine
from firewatch.core.paths import relative_to_home
from firewatch.core.store.warc import WarcRecorder
from firewatch.core.store.models import Capture

SCREENSHOT_NAME = "screenshot.png"
DOM_NAME = "dom.html"
WARC_NAME = "capture.warc.gz"
META_NAME = "meta.json"
METHOD = ("Chromium 无头浏览器打开帖子网址，等待页面加载完成后由浏览器截取整页截图，"
          "经 DevTools 协议读取渲染后的 DOM，记录浏览器收到的全部 HTTP 响应；不向页面注入任何脚本或样式。")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def capture_meta(capture: Capture, page: PageCapture, browser_version: str, clock: LocalClock,
                 storage_state: str | None = None) -> dict:
    """Everything a 笔录 needs about this capture: when, where, with what, what came back."""
    return {
        "capture_id": capture.id,
        "post_id": capture.post_id,
        "version_id": capture.version_id,
        "attempt": capture.attempts,
        "url_requested": page.url,
        "url_final": page.final_url,
        "http_status": page.status,
        "title": page.title,
        "started": clock.both(page.started_at),
        "finished": clock.both(page.finished_at) if page.finished_at else None,
        "method": METHOD,
        "access": {"logged_in": bool(storage_state), "storage_state": storage_state or ""},
        "user_agent": page.user_agent,
        "tools": library_versions({"chromium": browser_version}),
        "machine": machine(),
        "responses": len(page.exchanges),
        "sha256": {SCREENSHOT_NAME: sha256(page.screenshot), DOM_NAME: sha256(page.dom)},
        "error": page.error,
    }


def save_capture(capture: Capture, page: PageCapture, folder: Path, *, browser_version: str,
                 settings: Settings, storage_state: str | None = None) -> None:
    """Store ``page`` under ``folder`` (inside the home) and fill in the capture row (status,
    paths relative to the home, meta, error)."""
    home = settings.home
    folder.mkdir(parents=True, exist_ok=True)
    meta = capture_meta(capture, page, browser_version, settings.clock, storage_state)
    _write_warc(folder / WARC_NAME, page, meta, browser_version)
    capture.warc_path = relative_to_home(home, folder / WARC_NAME)
    if page.screenshot:
        (folder / SCREENSHOT_NAME).write_bytes(page.screenshot)
        capture.screenshot_path = relative_to_home(home, folder / SCREENSHOT_NAME)
    if page.dom:
        (folder / DOM_NAME).write_bytes(page.dom)
        capture.dom_path = relative_to_home(home, folder / DOM_NAME)
    meta["sha256"][WARC_NAME] = sha256((folder / WARC_NAME).read_bytes())
    (folder / META_NAME).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    capture.meta = meta
    capture.error = page.error or _status_error(page.status)
    capture.status = "failed" if capture.error else "ok"


def _status_error(status: int | None) -> str:
    if status is None:
        return "页面没有返回 HTTP 响应"
    if status >= 400:
        return f"页面返回 HTTP {status}（帖子可能已删除）"
    return ""


def _write_warc(path: Path, page: PageCapture, meta: dict, browser_version: str) -> None:
    info = {"operator": meta["machine"]["user"], "hostname": meta["machine"]["hostname"],
            "http-header-user-agent": page.user_agent, "browser": f"Chromium {browser_version}",
            "description": f"firewatch browser capture of {page.url}"}
    recorder = WarcRecorder(path, info=info)
    try:
        for exchange in page.exchanges:
            recorder.write_exchange(
                exchange.url, status=exchange.status, response_headers=exchange.response_headers,
                body=exchange.body, request_headers=exchange.request_headers,
                method=exchange.method, fetched_at=exchange.received_at,
            )
        if page.screenshot:
            recorder.write_resource(f"urn:screenshot:{page.url}", page.screenshot, "image/png")
        if page.dom:
            recorder.write_resource(f"urn:dom:{page.url}", page.dom, "text/html; charset=utf-8")
        meta_bytes = json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8")
        recorder.write_resource(f"urn:capture-meta:{page.url}", meta_bytes, "application/json")
    finally:
        recorder.close()
