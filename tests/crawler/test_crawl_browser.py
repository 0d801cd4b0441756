"""Browser fetching with real Chromium: a JavaScript infinite feed, a saved login (storage_state),
and walls that must be detected rather than waited on."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from firewatch.demo.site import SESSION_COOKIE, SESSION_VALUE
from firewatch.core.store.models import Post, PostVersion
from tests.crawler.conftest import run_crawl, write_source

pytestmark = pytest.mark.browser

FORUM_LISTING = {"items": "tbody[id^=normalthread]", "fields": {"url": "a.xst::attr(href)", "title": "a.xst::text"}}


def test_infinite_feed_needs_and_gets_the_browser(app_ctx, cli_env, demo_site, demo_sources):
    result = run_crawl(cli_env, str(demo_sources["demo-feed"]))
    assert result.code == 0, result.stderr
    assert result.summaries["demo-feed"]["status"] == "ok"
    assert result.summaries["demo-feed"]["new_items"] == 24  # all four batches: scrolled to the end
    with app_ctx.sessions() as session:
        post = session.scalars(select(Post).where(Post.key == "3013")).one()
        version = session.scalars(select(PostVersion).where(PostVersion.post_id == post.id)).one()
    assert post.title == "煙花 組合 送貨" and post.url == demo_site.base_url + "/feed/note/3013"
    assert version.warc_path and version.warc_offset is not None
    # The items came from the page's own JavaScript calls, down to the last batch.
    assert any(r.startswith("/feed/api/notes?cursor=18") for r in demo_site.requests)


def test_saved_login_state_and_login_wall(app_ctx, cli_env, demo_site, tmp_path):
    state = app_ctx.settings.secrets_dir / "state.json"  # logins live in the home
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"cookies": [{
        "name": SESSION_COOKIE, "value": SESSION_VALUE, "domain": "127.0.0.1", "path": "/",
        "expires": -1, "httpOnly": False, "secure": False, "sameSite": "Lax"}], "origins": []}))
    base = {"platform": "forum", "fetch": "browser", "start_urls": [demo_site.base_url + "/members/list"],
            "listing": FORUM_LISTING}
    logged_in = write_source(tmp_path, {**base, "name": "members-in",
                                        "browser": {"wait_for": "tbody", "storage_state": str(state), "timeout": 5}})
    logged_out = write_source(tmp_path, {**base, "name": "members-out", "browser": {"wait_for": "tbody", "timeout": 2}})
    result = run_crawl(cli_env, str(logged_in), str(logged_out))
    assert result.code == 3, result.stderr
    assert result.summaries["members-in"]["status"] == "ok"
    assert result.summaries["members-in"]["new_items"] == 12  # ten threads plus two members-only ones
    assert result.summaries["members-out"]["status"] == "login_required"
    with app_ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 12


def test_login_command_saves_storage_state(app_ctx, cli_env, demo_site, tmp_path):
    import stat
    import subprocess

    from tests.crawler.conftest import FIREWATCH, REPO

    source = write_source(tmp_path, {"name": "members", "platform": "forum", "fetch": "browser",
                                     "start_urls": [demo_site.base_url + "/members/list"], "listing": FORUM_LISTING,
                                     "browser": {"storage_state": "secrets/members.json"}})
    proc = subprocess.run([*FIREWATCH, "login", str(source), "--headless", "--wait", "1"], env=cli_env, cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    saved = app_ctx.settings.home / "secrets" / "members.json"
    assert json.loads(saved.read_text())["cookies"] == [] and str(saved) in proc.stdout
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert any(r.startswith("/member.php") for r in demo_site.requests)  # it opened the login page


def test_browser_contexts_are_recycled(app_ctx, cli_env, demo_site, tmp_path):
    import re

    source = write_source(tmp_path, {
        "name": "forum-browser", "platform": "forum", "fetch": "browser", "encoding": "gbk",
        "start_urls": [demo_site.base_url + "/forum/forum-2-1.html"],
        "listing": {**FORUM_LISTING, "next_page": "a.nxt::attr(href)"},
        "detail": {"fields": {"text": "td.t_f ::text"}},
    }, politeness={"concurrency": 2})
    result = run_crawl(cli_env, str(source), "-v", "--set", "FIREWATCH_BROWSER_CONTEXT_PAGES=10")
    assert result.code == 0, result.stderr[-2000:]
    assert result.summaries["forum-browser"]["new_items"] == 39
    created = int(re.search(r"'playwright/context_count': (\d+)", result.stderr)[1])
    most = int(re.search(r"'playwright/context_count/max_concurrent': (\d+)", result.stderr)[1])
    # 43 pages, 10 per context: at least four contexts, each closed before the crawl could open many more
    assert created >= 4 and most <= 3


def test_a_login_kept_outside_the_home_is_refused_before_crawling(cli_env, demo_site, tmp_path):
    outside = tmp_path / "elsewhere.json"
    outside.write_text("{}")
    source = write_source(tmp_path, {"name": "members-x", "platform": "forum", "fetch": "browser",
                                     "start_urls": [demo_site.base_url + "/members/list"], "listing": FORUM_LISTING,
                                     "browser": {"storage_state": str(outside)}})
    result = run_crawl(cli_env, str(source))
    assert result.code == 2
    assert "browser.storage_state" in result.stderr and "不在数据目录" in result.stderr
