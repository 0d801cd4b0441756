"""Browser capture in real Chromium against a real local page: screenshot, DOM, WARC, metadata,
failures recorded and retried."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from firewatch.evidence.capture import MAX_ATTEMPTS, capture_pending, request_recapture
from firewatch.core.store.warc import check_digests
from firewatch.core.store.models import Capture
from tests.evidence.conftest import make_post, serve_post
from warcio.archiveiterator import ArchiveIterator

pytestmark = pytest.mark.browser


def _records(path: str) -> list:
    with open(path, "rb") as stream:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                for r in ArchiveIterator(stream)]


def test_capture_saves_screenshot_dom_warc_and_meta(app_ctx, page_server):
    url = serve_post(page_server, 1)
    with app_ctx.sessions() as session:
        post_id = make_post(session, app_ctx.settings, url, post_no=1).id
        session.commit()

    summary = capture_pending(app_ctx)

    assert (summary.ok, summary.failed) == (1, 0)
    with app_ctx.sessions() as session:
        capture = session.query(Capture).filter_by(post_id=post_id).one()
        assert capture.status == "ok" and capture.attempts == 1 and capture.error == ""
        shot = Image.open(app_ctx.settings.in_home(capture.screenshot_path))
        assert shot.width == 1280 and shot.height > 1600  # full page, not just the viewport
        dom = app_ctx.settings.in_home(capture.dom_path).read_text(encoding="utf-8")
        assert "烟花爆竹 批发零售" in dom and 'id="js-made"' in dom  # rendered, page script ran
        assert dom.count("<script") == 1 and dom.count("<style") == 1  # nothing of ours added
        assert 'data-foreign-mutations="' not in dom  # the page saw no DOM change it did not make
        meta = capture.meta
        assert meta["http_status"] == 200 and meta["url_final"] == url
        assert meta["started"]["utc"].endswith("Z") and meta["started"]["local"].endswith("+08:00")
        assert meta["started"]["timezone"] == "Asia/Shanghai"
        assert meta["tools"]["chromium"] and meta["tools"]["playwright"] and meta["machine"]["hostname"]
        assert json.loads(app_ctx.settings.in_home(capture.warc_path).with_name("meta.json").read_text())["capture_id"] == capture.id
        records = _records(app_ctx.settings.in_home(capture.warc_path))
    kinds = {(kind, uri) for kind, uri, _ in records}
    assert ("response", url) in kinds and ("request", url) in kinds
    assert ("response", page_server.url("/img/1.png")) in kinds
    assert ("resource", f"urn:screenshot:{url}") in kinds and ("resource", f"urn:dom:{url}") in kinds
    main_body = next(body for kind, uri, body in records if kind == "response" and uri == url)
    assert "烟花爆竹".encode() in main_body
    assert check_digests(str(app_ctx.settings.in_home(capture.warc_path))) == []
    # Captured posts are not captured again.
    assert capture_pending(app_ctx).attempted == 0


def test_failure_is_recorded_and_retried(app_ctx, page_server):
    url = page_server.url("/thread/2")  # not served yet: 404
    with app_ctx.sessions() as session:
        post_id = make_post(session, app_ctx.settings, url, post_no=2).id
        session.commit()

    first = capture_pending(app_ctx)
    assert (first.ok, first.failed) == (0, 1)
    assert "404" in first.errors[post_id]
    with app_ctx.sessions() as session:
        capture = session.query(Capture).filter_by(post_id=post_id).one()
        assert capture.status == "failed" and capture.attempts == 1 and "404" in capture.error

    serve_post(page_server, 2)
    second = capture_pending(app_ctx)
    assert (second.ok, second.failed) == (1, 0)
    with app_ctx.sessions() as session:
        capture = session.query(Capture).filter_by(post_id=post_id).one()
        assert capture.status == "ok" and capture.attempts == 2 and capture.error == ""


def test_unreachable_host_fails_and_stops_after_max_attempts(app_ctx, page_server):
    with app_ctx.sessions() as session:
        post_id = make_post(session, app_ctx.settings, "http://127.0.0.1:9/gone", post_no=3).id
        session.commit()
    result = capture_pending(app_ctx)
    assert result.failed == 1 and "无法打开页面" in result.errors[post_id]
    with app_ctx.sessions() as session:
        session.query(Capture).filter_by(post_id=post_id).one().attempts = MAX_ATTEMPTS
        session.commit()
    assert capture_pending(app_ctx).attempted == 0  # given up until someone asks again
    with app_ctx.sessions() as session:
        request_recapture(session, post_id)
        session.commit()
    assert capture_pending(app_ctx).failed == 1


def test_dismissed_and_unflagged_posts_are_not_captured(app_ctx, page_server):
    with app_ctx.sessions() as session:
        make_post(session, app_ctx.settings, serve_post(page_server, 4), post_no=4, status="dismissed")
        make_post(session, app_ctx.settings, serve_post(page_server, 5), post_no=5, flagged=False)
        session.commit()
    assert capture_pending(app_ctx).attempted == 0
    assert not any(hit.startswith("/thread/") for hit in page_server.hits)


def test_capture_uses_the_sources_saved_login(app_ctx, page_server, tmp_path):
    def members_only(headers):
        text = "会员可见：烟花批发价目表" if "session=officer" in headers.get("Cookie", "") else "请先登录"
        return 200, "text/html; charset=utf-8", f"<html><body><p>{text}</p></body></html>".encode()

    page_server.routes["/members/9"] = page_server.routes["/members/10"] = members_only
    state = {"cookies": [{"name": "session", "value": "officer", "domain": "127.0.0.1", "path": "/",
                          "expires": -1, "httpOnly": False, "secure": False, "sameSite": "Lax"}], "origins": []}
    (app_ctx.settings.home / "secrets").mkdir(parents=True, exist_ok=True)
    (app_ctx.settings.home / "secrets" / "members.json").write_text(json.dumps(state))
    config = tmp_path / "members.yaml"
    config.write_text("name: members\nbrowser:\n  storage_state: secrets/members.json\n", encoding="utf-8")
    with app_ctx.sessions() as session:
        logged = make_post(session, app_ctx.settings, page_server.url("/members/9"), post_no=9,
                           source_name="members")
        logged.source.config_path = str(config)
        public = make_post(session, app_ctx.settings, page_server.url("/members/10"), post_no=10)
        session.commit()
        ids = logged.id, public.id
    assert capture_pending(app_ctx).ok == 2
    with app_ctx.sessions() as session:
        seen = {c.post_id: c for c in session.query(Capture)}
        assert "会员可见" in app_ctx.settings.in_home(seen[ids[0]].dom_path).read_text(encoding="utf-8")
        assert seen[ids[0]].meta["access"]["logged_in"] is True
        assert "请先登录" in app_ctx.settings.in_home(seen[ids[1]].dom_path).read_text(encoding="utf-8")
        assert seen[ids[1]].meta["access"] == {"logged_in": False, "storage_state": ""}


def test_capture_can_be_called_from_inside_an_event_loop(app_ctx, page_server):
    import asyncio

    with app_ctx.sessions() as session:
        make_post(session, app_ctx.settings, serve_post(page_server, 11), post_no=11)
        session.commit()

    async def from_async_code():  # e.g. a FastAPI handler or the demo command
        return capture_pending(app_ctx, limit=1)

    assert asyncio.run(from_async_code()).ok == 1
